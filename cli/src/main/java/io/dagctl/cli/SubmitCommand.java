package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunReport;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "submit",
        mixinStandardHelpOptions = true,
        description =
                "Submits a DAG to a running cluster and prints the run id; with --wait, follows the run and exits "
                        + "0 when every task succeeded, 1 otherwise.",
        footer = {
            "",
            "Examples:",
            "  dagctl submit -f examples/parallel_dag.yaml",
            "  dagctl submit -f etl.yaml --param DATE=2026-11-26 --idempotency-key etl-2026-11-26 --wait"
        })
public class SubmitCommand extends ClientCommand {

    enum Output {
        table,
        json
    }

    @Option(
            names = {"-f", "--file"},
            required = true,
            description = "the DAG file (YAML or JSON)")
    Path file;

    @Option(
            names = "--param",
            description = "NAME=value, repeatable, checked against the DAG's params; every task sees it as"
                    + " DAGCTL_PARAM_NAME")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--idempotency-key", description = "submitting again with the same key returns the same run")
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
        Optional<DagFile> dag = DagFile.load(file, err);
        if (dag.isEmpty() || dag.get().params(params, err).isEmpty()) {
            return ExitCodes.INVALID_INPUT;
        }
        CoordinatorClient.Submission submission =
                api.submit(dag.get().submissionText(), dag.get().submitsJson(), params, idempotencyKey);
        if (submission.runId() == null) {
            submission.problems().forEach(p -> err.println(file + ":" + p));
            return ExitCodes.INVALID_INPUT;
        }
        if (!await) {
            out.println(submission.runId());
            if (submission.existing()) {
                err.println("dagctl: a run with this idempotency key exists already; nothing new was started");
            }
            return ExitCodes.SUCCESS;
        }
        err.println("dagctl: run " + submission.runId() + (submission.existing() ? " (existing)" : " submitted"));
        RunReport report = RunWatcher.follow(
                api, submission.runId(), dag.get().dag().tasks().size(), err, () -> null);
        RunWatcher.print(report, output == Output.json, out);
        return report.status() == RunStatus.SUCCESS ? ExitCodes.SUCCESS : ExitCodes.RUN_FAILED;
    }
}
