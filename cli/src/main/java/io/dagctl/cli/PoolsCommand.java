package io.dagctl.cli;

import picocli.CommandLine.Command;

@Command(
        name = "pools",
        mixinStandardHelpOptions = true,
        description = "Sets and lists the cluster-wide pools: named numbers of slots that tasks of every run share"
                + " (pool: on a task).",
        subcommands = {PoolsSetCommand.class, PoolsListCommand.class},
        footer = {"", "Examples:", "  dagctl pools set db 4", "  dagctl pools list"})
public class PoolsCommand {}
