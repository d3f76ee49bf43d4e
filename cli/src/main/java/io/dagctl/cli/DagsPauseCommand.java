package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "pause", mixinStandardHelpOptions = true, description = "Pauses a stored DAG: it starts no run.")
public class DagsPauseCommand extends ClientCommand {

    @Parameters(index = "0", description = "the DAG's name")
    String name;

    boolean paused() {
        return true;
    }

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        boolean applied = api.setPaused(name, paused());
        out.printf(
                "DAG '%s' %s%s%n",
                name, paused() ? "paused" : "unpaused", applied ? "" : " (accepted; its owner applies it shortly)");
        return ExitCodes.SUCCESS;
    }
}
