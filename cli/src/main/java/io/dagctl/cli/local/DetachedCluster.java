package io.dagctl.cli.local;

import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.kafka.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * A local cluster that outlives the command that started it ({@code dagctl up}): broker, coordinator and worker each in
 * a session of its own, all state under the data directory, so {@code down} then {@code up} keeps every run.
 */
public final class DetachedCluster {

    /**
     * Partitions of the topics a fresh data directory gets: one coordinator with one stream thread, whatever the count,
     * and one worker (8 dispatch partitions still let 8 worker processes share the work). A sixth of the stores to open
     * at each start of the defaults (12 and 48): with 4 run partitions the coordinator opened 28 RocksDB stores one by
     * one, and `dagctl up` took about half a second longer. Topics that exist keep theirs, and the coordinator goes by
     * those.
     */
    private static final Map<String, String> LOCAL_PARTITIONS = Map.of(
            "DAGCTL_TOPICS_RUN_PARTITIONS", "2",
            "DAGCTL_TOPICS_DISPATCH_PARTITIONS", "8");

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final ServiceLaunch launch;
    private final Path dataDir;

    public DetachedCluster(Path home, Path dataDir) {
        this.launch = new ServiceLaunch(home);
        // the services start in their own directories (ServiceLaunch): paths handed to them must not be relative
        this.dataDir = dataDir.toAbsolutePath();
    }

    /** Thrown when the cluster could not be started; whatever was started has been stopped again. */
    public static class StartFailed extends Exception {
        public StartFailed(String message) {
            super(message);
        }
    }

    public ClusterState start(int workers, List<String> queues, int apiPort, Consumer<String> step)
            throws StartFailed, IOException, InterruptedException {
        if (!portIsFree(apiPort)) {
            throw new StartFailed("port " + apiPort + " is in use; choose another with --port");
        }
        boolean fresh = ServiceLaunch.isFresh(dataDir);
        int brokerPort = brokerPort();
        List<ServiceProcess> started = new ArrayList<>();
        try {
            step.accept(
                    "starting Kafka broker on 127.0.0.1:" + brokerPort + " (data in " + dataDir.resolve("kafka") + ")");
            ServiceProcess broker = launch.broker(dataDir, brokerPort);
            started.add(broker);
            String bootstrap = "127.0.0.1:" + brokerPort;
            // on fresh data the services' JVMs boot while the broker starts (their Kafka clients wait up to a minute);
            // a broker that recovers existing logs may take longer, and is waited for first
            if (!fresh) {
                awaitBroker(bootstrap, broker);
            }
            int workerPort = FreePorts.next();
            step.accept("starting coordinator on 127.0.0.1:" + apiPort + " and a worker with " + workers
                    + " slots (metrics: http://127.0.0.1:" + workerPort + "/q/metrics)");
            ServiceProcess coordinator = launch.coordinator(bootstrap, apiPort, dataDir, true, LOCAL_PARTITIONS);
            started.add(coordinator);
            ServiceProcess worker = launch.worker(bootstrap, workers, queues, workerPort, dataDir, true);
            started.add(worker);
            if (fresh) {
                awaitBroker(bootstrap, broker);
            }
            awaitCoordinator("http://127.0.0.1:" + apiPort, started);
            ClusterState state = new ClusterState(
                    "http://127.0.0.1:" + apiPort,
                    bootstrap,
                    brokerPort,
                    apiPort,
                    workers,
                    broker.pid(),
                    coordinator.pid(),
                    worker.pid());
            state.write(dataDir);
            started.clear();
            return state;
        } finally {
            for (int i = started.size() - 1; i >= 0; i--) {
                started.get(i).stop(10_000);
            }
        }
    }

    /** Stops worker (it drains), coordinator and broker, in that order; {@code step} hears each. */
    public void stop(ClusterState state, Consumer<String> step) throws IOException {
        stopOne("worker (running tasks get up to 30 s to finish)", state.workerPid(), 45_000, step);
        stopOne("coordinator", state.coordinatorPid(), 35_000, step);
        stopOne("Kafka broker", state.brokerPid(), 60_000, step);
        ClusterState.delete(dataDir);
    }

    private static void stopOne(String what, long pid, long graceMillis, Consumer<String> step) {
        ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(DetachedCluster::isOurs)
                .ifPresentOrElse(
                        handle -> {
                            step.accept("stopping the " + what);
                            ServiceProcess.stop(handle, graceMillis);
                        },
                        () -> step.accept("the " + what + " was not running"));
    }

    /** A pid from the state file names our process, not one that reused the number. */
    private static boolean isOurs(ProcessHandle handle) {
        return handle.info()
                .commandLine()
                .map(c -> c.contains("quarkus-run.jar") || c.contains("io.dagctl.kafka.EmbeddedKafkaMain"))
                .orElse(true);
    }

    private int brokerPort() throws IOException {
        Path file = dataDir.resolve("broker.port");
        if (Files.exists(file)) {
            int saved = Integer.parseInt(Files.readString(file).trim());
            if (portIsFree(saved)) {
                return saved;
            }
        }
        int port = FreePorts.next();
        Files.createDirectories(dataDir);
        Files.writeString(file, String.valueOf(port));
        return port;
    }

    private static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void awaitBroker(String bootstrap, ServiceProcess broker) throws StartFailed, InterruptedException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000))) {
            while (System.nanoTime() < deadline) {
                if (!broker.isAlive()) {
                    throw new StartFailed(
                            "the broker exited; the end of " + broker.logFile() + ":\n" + broker.logTail(30));
                }
                try {
                    if (!admin.describeCluster()
                            .nodes()
                            .get(3, TimeUnit.SECONDS)
                            .isEmpty()) {
                        return;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not up yet
                }
                Thread.sleep(200);
            }
        }
        throw new StartFailed(
                "the broker was not ready within " + READY_TIMEOUT.toSeconds() + " s; see " + broker.logFile());
    }

    private void awaitCoordinator(String apiUrl, List<ServiceProcess> services)
            throws StartFailed, InterruptedException {
        var client = new CoordinatorClient(apiUrl, null);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            for (ServiceProcess service : services) {
                if (!service.isAlive()) {
                    throw new StartFailed("the " + service.name() + " exited; the end of " + service.logFile() + ":\n"
                            + service.logTail(30));
                }
            }
            if (client.isReady()) {
                return;
            }
            // a readiness check is one small request; a longer pause only adds to the wait
            Thread.sleep(50);
        }
        throw new StartFailed("the coordinator was not ready within " + READY_TIMEOUT.toSeconds() + " s; see "
                + dataDir.resolve("logs"));
    }
}
