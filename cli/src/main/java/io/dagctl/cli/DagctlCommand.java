package io.dagctl.cli;

import io.quarkus.picocli.runtime.annotations.TopCommand;
import picocli.CommandLine.Command;

@TopCommand
@Command(
        name = "dagctl",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Runs DAGs of shell and Python tasks on a Kafka-backed cluster of workers.",
        subcommands = {
            RunCommand.class,
            ValidateCommand.class,
            GraphCommand.class,
            UpCommand.class,
            DownCommand.class,
            SubmitCommand.class,
            DagsCommand.class,
            PoolsCommand.class,
            TriggerCommand.class,
            BackfillCommand.class,
            BackfillsCommand.class,
            StatusCommand.class,
            RunsCommand.class,
            LogsCommand.class,
            CancelCommand.class,
            RetryCommand.class,
            CompletionCommand.class
        },
        footer = {
            "",
            "Exit codes: 0 success, 1 run failed, 2 usage or invalid DAG, 3 server unreachable or unauthorised.",
            "",
            "Examples:",
            "  ./dagctl run -f examples/simple_dag.yaml -w 4",
            "  ./dagctl up && ./dagctl submit -f examples/parallel_dag.yaml --wait",
            "  ./dagctl dags apply -f examples/params_dag.yaml && ./dagctl trigger daily_report --param day=2026-12-01"
        })
public class DagctlCommand {}
