package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(
        name = "trigger",
        mixinStandardHelpOptions = true,
        description = "Runs the latest version of a stored DAG and prints the run id; with --wait, follows the run"
                + " and exits 0 when every task succeeded, 1 otherwise.",
        footer = {"", "Example:", "  dagctl trigger daily_report --param day=2026-12-01 --wait"})
public class TriggerCommand extends ClientCommand {

    @Parameters(index = "0", description = "the stored DAG's name")
    String name;

    @Mixin
    RunStartOptions start;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        CoordinatorClient.Submission run = api.trigger(name, start.params, start.idempotencyKey);
        if (run.runId() == null) {
            run.problems().forEach(p -> err.println(name + ":" + p));
            return ExitCodes.INVALID_INPUT;
        }
        int tasks = start.await ? api.existingReport(run.runId()).tasks().size() : 0;
        return start.printOrFollow(api, run, " of DAG '" + name + "' started", tasks, out, err);
    }
}
