package io.dagctl.cli;

import io.dagctl.core.graph.DagGraph;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Checks a DAG file without running it; exits 0 when valid, 2 with every problem otherwise.",
        footer = {"", "Example:", "  ./dagctl validate -f examples/parallel_dag.yaml"})
public class ValidateCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--file"},
            required = true,
            description = "the DAG file (YAML or JSON)")
    Path file;

    @Option(names = "--param", description = "NAME=value, repeatable: also check these against the DAG's params")
    Map<String, String> params = new LinkedHashMap<>();

    @Override
    public Integer call() {
        return DagFile.load(file, spec.commandLine().getErr())
                // parameters are checked only when some are given: a DAG with a required one is still valid
                .filter(dag -> params.isEmpty()
                        || dag.params(params, spec.commandLine().getErr()).isPresent())
                .map(dag -> {
                    int roots = new DagGraph(dag.dag()).roots().size();
                    spec.commandLine()
                            .getOut()
                            .printf(
                                    "%s: DAG '%s' is valid: %d task(s), %d can start at once%n",
                                    file, dag.dag().name(), dag.dag().tasks().size(), roots);
                    return ExitCodes.SUCCESS;
                })
                .orElse(ExitCodes.INVALID_INPUT);
    }
}
