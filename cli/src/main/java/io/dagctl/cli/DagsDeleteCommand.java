package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "delete",
        mixinStandardHelpOptions = true,
        description = "Deletes a stored DAG; its versions stay, so that its runs still show what they ran.")
public class DagsDeleteCommand extends ClientCommand {

    @Parameters(index = "0", description = "the DAG's name")
    String name;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        boolean applied = api.deleteDag(name);
        out.printf("DAG '%s' deleted%s%n", name, applied ? "" : " (accepted; its owner applies it shortly)");
        return ExitCodes.SUCCESS;
    }
}
