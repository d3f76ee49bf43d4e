package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.core.event.Events;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "apply",
        mixinStandardHelpOptions = true,
        description = "Stores a DAG under its name as a new version; an unchanged DAG keeps its version, so applying"
                + " again is safe (in CI, say). Scripts named with command_file are read and stored with it.")
public class DagsApplyCommand extends ClientCommand {

    @Option(
            names = {"-f", "--file"},
            required = true,
            description = "the DAG file (YAML or JSON)")
    Path file;

    @Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        Optional<DagFile> dag = DagFile.load(file, err);
        if (dag.isEmpty()) {
            return ExitCodes.INVALID_INPUT;
        }
        String name = dag.get().dag().name();
        CoordinatorClient.Applied applied =
                api.applyDag(name, dag.get().submissionText(), dag.get().submitsJson());
        if (applied.result() == null) {
            applied.problems().forEach(p -> err.println(file + ":" + p));
            return ExitCodes.INVALID_INPUT;
        }
        if (json) {
            out.println(Events.toJsonText(applied.result()));
        } else if (applied.result().changed()) {
            out.printf("DAG '%s' stored as version %d%n", name, applied.result().version());
        } else {
            out.printf(
                    "DAG '%s' unchanged (version %d)%n", name, applied.result().version());
        }
        return ExitCodes.SUCCESS;
    }
}
