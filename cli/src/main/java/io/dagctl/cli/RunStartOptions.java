package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunReport;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/** What every command that starts a run takes (its params, an idempotency key, --wait), and how it ends. */
final class RunStartOptions {

    enum Output {
        table,
        json
    }

    @Option(
            names = "--param",
            description = "NAME=value, repeatable, checked against the DAG's params; every task sees it as"
                    + " DAGCTL_PARAM_NAME")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--idempotency-key", description = "starting again with the same key returns the same run")
    String idempotencyKey;

    @Option(names = "--wait", description = "follow the run to its end, with progress")
    boolean await;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "table",
            description = "with --wait: table or json (default: ${DEFAULT-VALUE})")
    Output output;

    /**
     * Prints the run id, or with --wait follows the run and prints its table; the exit code.
     *
     * @param started how the line before the progress says the run was started (for example {@code of DAG 'x'})
     * @param tasks how many tasks the run has (the progress bar's total)
     */
    int printOrFollow(
            CoordinatorClient api,
            CoordinatorClient.Submission run,
            String started,
            int tasks,
            PrintWriter out,
            PrintWriter err)
            throws Exception {
        if (!await) {
            out.println(run.runId());
            if (run.existing()) {
                err.println("dagctl: a run with this idempotency key exists already; nothing new was started");
            }
            warnIfQueued(run, err);
            return ExitCodes.SUCCESS;
        }
        warnIfQueued(run, err);
        err.println("dagctl: run " + run.runId() + (run.existing() ? " (existing)" : started));
        RunReport report = RunWatcher.follow(api, run.runId(), tasks, err, () -> null);
        RunWatcher.print(report, output == Output.json, out);
        return report.status() == RunStatus.SUCCESS ? ExitCodes.SUCCESS : ExitCodes.RUN_FAILED;
    }

    private static void warnIfQueued(CoordinatorClient.Submission run, PrintWriter err) {
        if (run.queued()) {
            err.println("dagctl: run " + run.runId()
                    + " waits QUEUED: its DAG has max_active_runs runs running; it starts when one of them ends");
        }
    }
}
