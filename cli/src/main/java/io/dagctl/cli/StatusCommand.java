package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunReport;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Shows a run: every task's status, attempts, duration, exit code and worker. Exits 0 for a "
                + "successful or running run, 1 for a failed or cancelled one.",
        footer = {"", "Example:", "  dagctl status 20261126-194622-bd6a3860 -o json"})
public class StatusCommand extends ClientCommand {

    enum Output {
        table,
        json
    }

    @Parameters(paramLabel = "RUN", description = "the run id")
    String runId;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE})")
    Output output;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        RunReport report = api.existingReport(runId);
        RunWatcher.print(report, output == Output.json, out);
        boolean bad = report.status() == RunStatus.FAILED || report.status() == RunStatus.CANCELLED;
        return bad ? ExitCodes.RUN_FAILED : ExitCodes.SUCCESS;
    }
}
