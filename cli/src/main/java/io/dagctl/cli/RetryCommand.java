package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "retry",
        mixinStandardHelpOptions = true,
        description = "Runs the failed, timed-out, upstream-failed and cancelled tasks of a finished run again; what "
                + "succeeded is kept.",
        footer = {"", "Example:", "  dagctl retry 20261126-194622-bd6a3860 && dagctl status 20261126-194622-bd6a3860"})
public class RetryCommand extends ClientCommand {

    @Parameters(paramLabel = "RUN", description = "the run id")
    String runId;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        api.retry(runId);
        out.println("retry requested for run " + runId);
        return ExitCodes.SUCCESS;
    }
}
