package io.dagctl.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

@TopCommand
@Command(name = "dagctl", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Runs DAGs of shell and Python tasks on a Kafka-backed cluster of workers.",
        subcommands = {RunCommand.class, ValidateCommand.class, GraphCommand.class},
        footer = {"", "Example:", "  ./dagctl run -f examples/simple_dag.yaml -w 4"})
public class DagctlCommand {
}
