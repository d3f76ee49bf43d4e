package io.dagctl.cli;

import io.dagctl.cli.local.ClusterState;
import io.dagctl.cli.local.DetachedCluster;
import io.dagctl.core.model.Queues;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "up",
        mixinStandardHelpOptions = true,
        description = {
            "Starts a local cluster in the background (Kafka broker, coordinator, worker) and waits until it "
                    + "is ready. Its state lives in the data directory, so 'down' then 'up' keeps every run."
        },
        footer = {"", "Example:", "  dagctl up --workers 8 && dagctl submit -f examples/parallel_dag.yaml --wait"})
public class UpCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-w", "--workers"},
            defaultValue = "4",
            description = "worker slots (default: ${DEFAULT-VALUE})")
    int workers;

    @Option(
            names = "--queues",
            defaultValue = "default",
            description = "the queues the worker serves, comma-separated (default: ${DEFAULT-VALUE}: tasks that name"
                    + " no queue), e.g. gpu,default")
    String queues;

    @Option(names = "--port", defaultValue = "8080", description = "API port on 127.0.0.1 (default: ${DEFAULT-VALUE})")
    int port;

    @Option(
            names = "--data-dir",
            description = "where the cluster keeps its state (default: $DAGCTL_DATA_DIR, else ~/.dagctl)")
    Path dataDir;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (workers < 1) {
            err.println("dagctl: --workers must be at least 1");
            return ExitCodes.INVALID_INPUT;
        }
        List<String> served;
        try {
            served = Queues.parseList(queues);
        } catch (IllegalArgumentException e) {
            err.println("dagctl: --queues: " + e.getMessage());
            return ExitCodes.INVALID_INPUT;
        }
        Path dir = (dataDir != null ? dataDir : ClusterState.defaultDataDir()).toAbsolutePath();
        Optional<ClusterState> existing = ClusterState.read(dir);
        if (existing.isPresent() && existing.get().isRunning()) {
            err.println("dagctl: a cluster is already running from " + dir + " (API "
                    + existing.get().apiUrl() + "); stop it first with 'dagctl down'");
            return ExitCodes.INVALID_INPUT;
        }
        Path home =
                Path.of(System.getProperty("dagctl.home", ".")).toAbsolutePath().normalize();
        ClusterState state;
        try {
            state = new DetachedCluster(home, dir).start(workers, served, port, step -> RunCommand.status(err, step));
        } catch (DetachedCluster.StartFailed e) {
            err.println("dagctl: the cluster did not start: " + e.getMessage());
            return ExitCodes.UNAVAILABLE;
        }
        String token = Files.readString(dir.resolve("api-token")).trim();
        out.println("dagctl cluster is up");
        out.println("  web UI:   " + state.apiUrl() + "/   (sign in with the token below)");
        out.println("  API:      " + state.apiUrl() + "   (OpenAPI: " + state.apiUrl() + "/q/swagger-ui)");
        out.println("  token:    " + token + "   (kept in " + dir.resolve("api-token") + ")");
        out.println("  Kafka:    " + state.bootstrapServers());
        out.println("  queues:   " + String.join(", ", served) + "   (the worker's; a task of another queue waits)");
        out.println("  data:     " + dir + "   (logs in " + dir.resolve("logs") + ")");
        out.println("Next: dagctl submit -f examples/simple_dag.yaml --wait   |   dagctl runs   |   dagctl down");
        return ExitCodes.SUCCESS;
    }
}
