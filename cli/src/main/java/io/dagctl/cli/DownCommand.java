package io.dagctl.cli;

import io.dagctl.cli.local.ClusterState;
import io.dagctl.cli.local.DetachedCluster;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "down",
        mixinStandardHelpOptions = true,
        description = "Stops the local cluster of 'dagctl up': the worker drains first, then the coordinator and the "
                + "broker stop. Runs and logs stay in the data directory for the next 'up'.",
        footer = {"", "Example:", "  dagctl down"})
public class DownCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = "--data-dir",
            description = "the cluster's data directory (default: $DAGCTL_DATA_DIR, else ~/.dagctl)")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        Path dir = (dataDir != null ? dataDir : ClusterState.defaultDataDir()).toAbsolutePath();
        Optional<ClusterState> state = ClusterState.read(dir);
        if (state.isEmpty()) {
            err.println("dagctl: no cluster was started from " + dir + " (no cluster.json); nothing to stop");
            return ExitCodes.INVALID_INPUT;
        }
        Path home =
                Path.of(System.getProperty("dagctl.home", ".")).toAbsolutePath().normalize();
        new DetachedCluster(home, dir).stop(state.get(), step -> RunCommand.status(err, step));
        spec.commandLine().getOut().println("dagctl cluster is down; its data stays in " + dir);
        return ExitCodes.SUCCESS;
    }
}
