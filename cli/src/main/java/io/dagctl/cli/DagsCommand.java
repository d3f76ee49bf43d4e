package io.dagctl.cli;

import picocli.CommandLine.Command;

@Command(
        name = "dags",
        mixinStandardHelpOptions = true,
        description = "Stores DAGs on the cluster, each change a new version, and shows, pauses and deletes them.",
        subcommands = {
            DagsApplyCommand.class,
            DagsListCommand.class,
            DagsShowCommand.class,
            DagsPauseCommand.class,
            DagsUnpauseCommand.class,
            DagsDeleteCommand.class
        },
        footer = {
            "",
            "Examples:",
            "  dagctl dags apply -f examples/params_dag.yaml",
            "  dagctl dags list",
            "  dagctl trigger daily_report --param day=2026-12-01 --wait"
        })
public class DagsCommand {}
