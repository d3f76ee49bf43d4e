package io.dagctl.cli;

import io.dagctl.core.graph.GraphFormats;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "graph",
        mixinStandardHelpOptions = true,
        description = "Prints a DAG as Graphviz DOT or Mermaid.",
        footer = {
            "",
            "Examples:",
            "  ./dagctl graph -f examples/parallel_dag.yaml | dot -Tsvg > dag.svg",
            "  ./dagctl graph -f examples/parallel_dag.yaml --format mermaid"
        })
public class GraphCommand implements Callable<Integer> {

    enum Format {
        dot,
        mermaid
    }

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--file"},
            required = true,
            description = "the DAG file (YAML or JSON)")
    Path file;

    @Option(names = "--format", defaultValue = "dot", description = "dot or mermaid (default: ${DEFAULT-VALUE})")
    Format format;

    @Override
    public Integer call() {
        return DagFile.load(file, spec.commandLine().getErr())
                .map(dag -> {
                    spec.commandLine()
                            .getOut()
                            .print(
                                    format == Format.dot
                                            ? GraphFormats.dot(dag.dag())
                                            : GraphFormats.mermaid(dag.dag()));
                    spec.commandLine().getOut().flush();
                    return ExitCodes.SUCCESS;
                })
                .orElse(ExitCodes.INVALID_INPUT);
    }
}
