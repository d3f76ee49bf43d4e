package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

    @Option(
            names = {"-f", "--file"},
            required = true,
            description = "the DAG file (YAML or JSON)")
    Path file;

    @Mixin
    RunStartOptions start;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        Optional<DagFile> dag = DagFile.load(file, err);
        if (dag.isEmpty() || dag.get().params(start.params, err).isEmpty()) {
            return ExitCodes.INVALID_INPUT;
        }
        CoordinatorClient.Submission submission =
                api.submit(dag.get().submissionText(), dag.get().submitsJson(), start.params, start.idempotencyKey);
        if (submission.runId() == null) {
            submission.problems().forEach(p -> err.println(file + ":" + p));
            return ExitCodes.INVALID_INPUT;
        }
        return start.printOrFollow(
                api, submission, " submitted", dag.get().dag().tasks().size(), out, err);
    }
}
