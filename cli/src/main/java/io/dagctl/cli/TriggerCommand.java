package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunReport;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "trigger",
        mixinStandardHelpOptions = true,
        description = "Runs the latest version of a stored DAG and prints the run id; with --wait, follows the run"
                + " and exits 0 when every task succeeded, 1 otherwise.",
        footer = {"", "Example:", "  dagctl trigger daily_report --param day=2026-12-01 --wait"})
public class TriggerCommand extends ClientCommand {

    enum Output {
        table,
        json
    }

    @Parameters(index = "0", description = "the stored DAG's name")
    String name;

    @Option(names = "--param", description = "NAME=value, repeatable, checked against the DAG's params")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--idempotency-key", description = "triggering again with the same key returns the same run")
    String idempotencyKey;

    @Option(names = "--wait", description = "follow the run to its end, with progress")
    boolean await;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "table",
            description = "with --wait: table or json (default: ${DEFAULT-VALUE})")
    Output output;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        CoordinatorClient.Submission run = api.trigger(name, params, idempotencyKey);
        if (run.runId() == null) {
            run.problems().forEach(p -> err.println(name + ":" + p));
            return ExitCodes.INVALID_INPUT;
        }
        if (!await) {
            out.println(run.runId());
            if (run.existing()) {
                err.println("dagctl: a run with this idempotency key exists already; nothing new was started");
            }
            return ExitCodes.SUCCESS;
        }
        err.println("dagctl: run " + run.runId() + " of DAG '" + name + "'" + (run.existing() ? " (existing)" : ""));
        int tasks = api.existingReport(run.runId()).tasks().size();
        RunReport report = RunWatcher.follow(api, run.runId(), tasks, err, () -> null);
        RunWatcher.print(report, output == Output.json, out);
        return report.status() == RunStatus.SUCCESS ? ExitCodes.SUCCESS : ExitCodes.RUN_FAILED;
    }
}
