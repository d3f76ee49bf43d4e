package io.dagctl.cli.local;

import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.kafka.EmbeddedKafka;
import io.dagctl.kafka.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A whole dagctl cluster for one {@code dagctl run}: an embedded Kafka broker in this JVM, and the coordinator and a
 * worker as child processes. Everything lives under one data directory, temporary unless given.
 */
public final class LocalCluster implements AutoCloseable {

    /** Partitions of a cluster that lives for one run: one worker, one coordinator, nothing to spread. */
    private static final Map<String, String> ONE_RUN_PARTITIONS = Map.of(
            "DAGCTL_TOPICS_RUN_PARTITIONS", "2",
            "DAGCTL_TOPICS_DISPATCH_PARTITIONS", "4");

    /**
     * The most tasks of a DAG whose one-run cluster keeps the coordinator's state on its heap. Nothing is kept past the
     * run, so no RocksDB store need be opened at start; but an in-memory store's iterator copies every key of its range
     * first, and the coordinator reads a run's tasks in pages from a point to the run's end: harmless for a thousand
     * tasks, quadratic for a hundred thousand. Mapped tasks, whose instances are only known while the run goes, keep
     * RocksDB too.
     */
    static final int HEAP_STATE_MAX_TASKS = 1_000;

    private final ServiceLaunch launch;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final List<ServiceProcess> services = new ArrayList<>();
    private EmbeddedKafka kafka;
    private String apiUrl;

    public LocalCluster(Path home, Path dataDir) throws IOException {
        this.launch = new ServiceLaunch(home);
        this.deleteOnClose = dataDir == null;
        // the services start in their own directories (ServiceLaunch): paths handed to them must not be relative
        this.dataDir = dataDir != null ? dataDir.toAbsolutePath() : Files.createTempDirectory("dagctl-local-");
    }

    /**
     * Starts the broker, the coordinator and a worker with {@code slots} slots to run {@code dag}; {@code step} hears
     * each stage. A cluster for one run (temporary data) has few partitions (one worker needs no more), and for a small
     * DAG keeps the coordinator's state on its heap ({@link #HEAP_STATE_MAX_TASKS}).
     */
    public void start(int slots, DagSpec dag, Consumer<String> step) throws IOException {
        int brokerPort = FreePorts.next();
        String bootstrap = "127.0.0.1:" + brokerPort;
        int port = FreePorts.next();
        apiUrl = "http://127.0.0.1:" + port;
        step.accept("starting Kafka broker, coordinator and worker");
        // on fresh data the services' JVMs boot while the broker starts (their Kafka clients wait up to a minute); a
        // broker that recovers existing logs may take longer, and starts first
        boolean fresh = ServiceLaunch.isFresh(dataDir);
        if (!fresh) {
            startBroker(brokerPort);
        }
        Map<String, String> settings = deleteOnClose ? oneRunSettings(dag) : Map.of();
        services.add(launch.coordinator(bootstrap, port, dataDir, false, settings));
        // the one worker serves every queue the DAG names
        List<String> queues =
                dag.tasks().stream().map(TaskSpec::queueName).distinct().toList();
        services.add(launch.worker(bootstrap, slots, queues, FreePorts.next(), dataDir, false));
        if (fresh) {
            startBroker(brokerPort);
        }
    }

    static Map<String, String> oneRunSettings(DagSpec dag) {
        Map<String, String> settings = new HashMap<>(ONE_RUN_PARTITIONS);
        if (keepsStateOnHeap(dag)) {
            settings.put("DAGCTL_COORDINATOR_STATE_STORES", "in-memory");
        }
        return settings;
    }

    private static boolean keepsStateOnHeap(DagSpec dag) {
        // the build's class-data sharing training (ClassDataArchives) keeps RocksDB: the coordinator's archive is also
        // what `dagctl up` starts from, and RocksDB's classes are most of what opening a store loads
        return !ClassDataArchives.training()
                && dag.tasks().size() <= HEAP_STATE_MAX_TASKS
                && dag.tasks().stream().noneMatch(TaskSpec::isMapped);
    }

    private void startBroker(int port) {
        kafka = EmbeddedKafka.builder()
                .dataDir(dataDir.resolve("kafka"))
                .port(port)
                .build()
                .start();
    }

    public String apiUrl() {
        return apiUrl;
    }

    /** Where the coordinator keeps the API token it generated (mode 0600). */
    public Path tokenFile() {
        return ServiceLaunch.tokenFile(dataDir);
    }

    /** The API token, once the coordinator has written it. */
    public String token() throws IOException {
        return Files.readString(tokenFile()).trim();
    }

    /** A service that exited on its own, with the end of its log, or null when all are up. */
    public String deadServiceReport() {
        for (ServiceProcess service : services) {
            if (!service.isAlive()) {
                return "the " + service.name() + " exited; the end of " + service.logFile() + ":\n"
                        + service.logTail(30);
            }
        }
        return null;
    }

    public String logHint() {
        return "logs: " + dataDir.resolve("logs");
    }

    /**
     * Stops the services and the broker. A cluster with temporary data is discarded with it, so its services are killed
     * rather than shut down: nothing they would save is kept, and a task still running (Ctrl-C) ends with its whole
     * process tree all the same, killed by the worker's process keeper when the worker dies.
     */
    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            // a training run's services write their archives as they exit, which takes a graceful stop
            if (deleteOnClose && !ClassDataArchives.training()) {
                services.get(i).kill();
            } else {
                services.get(i).stop(35_000);
            }
        }
        services.clear();
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (deleteOnClose) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind is harmless
            }
        }
    }
}
