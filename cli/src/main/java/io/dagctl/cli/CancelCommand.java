package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description =
                "Cancels a run: its running tasks are stopped (with their child processes), the others end CANCELLED.",
        footer = {"", "Example:", "  dagctl cancel 20261126-194622-bd6a3860"})
public class CancelCommand extends ClientCommand {

    @Parameters(paramLabel = "RUN", description = "the run id")
    String runId;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        api.cancel(runId);
        out.println("cancel requested for run " + runId + "; 'dagctl status " + runId + "' shows when it has ended");
        return ExitCodes.SUCCESS;
    }
}
