package io.dagctl.e2e;

import static org.awaitility.Awaitility.await;

import io.dagctl.kafka.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;

/**
 * Brokers, coordinators and workers (the chaos suite's and the benchmarks' cluster), each a process of its own so that any of them can be killed with SIGKILL and
 * started again on the same data. Settings are those of production except shorter timeouts where a test would wait.
 */
public final class ProcessCluster implements AutoCloseable {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public static final String TOKEN = "chaos-token";

    public final Path dir;
    public final List<ManagedProcess> brokers = new ArrayList<>();
    public final List<ManagedProcess> coordinators = new ArrayList<>();
    public final List<ManagedProcess> workers = new ArrayList<>();
    public final List<String> apiUrls = new ArrayList<>();
    public final List<String> workerUrls = new ArrayList<>();
    private final List<Integer> brokerPorts = new ArrayList<>();
    private List<String> coordinatorJvm = List.of("-XX:TieredStopAtLevel=1", "-Xmx768m");
    private List<String> workerJvm = List.of("-XX:TieredStopAtLevel=1", "-Xmx384m");
    private Map<String, String> workerSettings = Map.of();
    private Map<String, String> coordinatorSettings = Map.of();
    private final int replication;
    private int workerSerial;
    private int coordinatorSerial;

    public ProcessCluster(Path dir, int brokerCount) throws Exception {
        this.dir = dir;
        this.replication = brokerCount;
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < brokerCount; i++) {
            brokerPorts.add(FreePorts.next());
            controllerPorts.add(FreePorts.next());
        }
        // the CLI ships the embedded broker and its libraries: run it from there, as 'dagctl up' does
        String classpath = RepoPaths.app("cli").getParent().resolve("lib/main") + "/*";
        String clusterId = Uuid.randomUuid().toString();
        for (int i = 0; i < brokerCount; i++) {
            List<String> args = new ArrayList<>(List.of(
                    "-XX:TieredStopAtLevel=1",
                    "-Xmx512m",
                    "-cp",
                    classpath,
                    "io.dagctl.kafka.EmbeddedKafkaMain",
                    "--data-dir",
                    dir.resolve("kafka").toString()));
            if (brokerCount == 1) {
                args.addAll(List.of("--port", String.valueOf(brokerPorts.get(0))));
            } else {
                args.addAll(List.of(
                        "--nodes",
                        "3",
                        "--node",
                        String.valueOf(i),
                        "--cluster-id",
                        clusterId,
                        "--broker-ports",
                        csv(brokerPorts),
                        "--controller-ports",
                        csv(controllerPorts)));
            }
            brokers.add(new ManagedProcess("broker-" + i, args, Map.of(), dir.resolve("logs/broker-" + i + ".log")));
        }
    }

    /** JVM options of the coordinators and workers started from now on (default: quick start, C1 only). */
    public ProcessCluster jvmOptions(List<String> coordinator, List<String> worker) {
        this.coordinatorJvm = List.copyOf(coordinator);
        this.workerJvm = List.copyOf(worker);
        return this;
    }

    /** Settings every worker started from now on gets, as environment variables ({@code DAGCTL_WORKER_...}). */
    public ProcessCluster workerSettings(Map<String, String> settings) {
        this.workerSettings = Map.copyOf(settings);
        return this;
    }

    /** Settings every coordinator started from now on gets, as environment variables ({@code DAGCTL_...}). */
    public ProcessCluster coordinatorSettings(Map<String, String> settings) {
        this.coordinatorSettings = Map.copyOf(settings);
        return this;
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    private static String csv(List<Integer> ports) {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    public String bootstrap() {
        return brokerPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    public void startBrokers() throws Exception {
        for (ManagedProcess broker : brokers) {
            broker.start();
        }
        awaitKafka(bootstrap(), Duration.ofSeconds(120));
    }

    /** A coordinator instance; {@code slot} picks its port and state directory, so a restart reuses both. */
    public ManagedProcess addCoordinator() throws Exception {
        int slot = coordinatorSerial++;
        int port = FreePorts.next();
        Map<String, String> env = new HashMap<>();
        env.put("DAGCTL_KAFKA_BOOTSTRAP_SERVERS", bootstrap());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put(
                "DAGCTL_COORDINATOR_STATE_DIR",
                dir.resolve("coordinator-state-" + slot).toString());
        env.put("DAGCTL_AUTH_TOKENS", "sha256:" + sha256(TOKEN));
        env.put("DAGCTL_TOPICS_REPLICATION_FACTOR", String.valueOf(replication));
        env.put("DAGCTL_COORDINATOR_STANDBY_REPLICAS", "1");
        // what dagctl's own local cluster and compose file set (these brokers allow down to 500 ms; -Dchaos.session
        // measures another)
        env.put("DAGCTL_COORDINATOR_SESSION_TIMEOUT", System.getProperty("chaos.session", "1s"));
        env.putAll(coordinatorSettings);
        ManagedProcess coordinator = new ManagedProcess(
                "coordinator-" + slot,
                concat(
                        coordinatorJvm,
                        "-jar",
                        RepoPaths.app("coordinator-service").toString()),
                env,
                dir.resolve("logs/coordinator-" + slot + ".log"));
        coordinators.add(coordinator.start());
        apiUrls.add("http://127.0.0.1:" + port);
        return coordinator;
    }

    public ManagedProcess addWorker(int slots) throws Exception {
        return addWorker(slots, "30s");
    }

    public ManagedProcess addWorker(int slots, String drainGrace) throws Exception {
        String id = "w" + (workerSerial++);
        int httpPort = FreePorts.next();
        Map<String, String> env = new java.util.HashMap<>(workerSettings);
        env.putAll(Map.of(
                "DAGCTL_KAFKA_BOOTSTRAP_SERVERS", bootstrap(),
                "DAGCTL_WORKER_SLOTS", String.valueOf(slots),
                "DAGCTL_WORKER_ID", id,
                "DAGCTL_WORKER_DRAIN_GRACE", drainGrace,
                "DAGCTL_WORKER_WORK_DIR", dir.resolve("work").toString(),
                "QUARKUS_HTTP_PORT", String.valueOf(httpPort),
                "QUARKUS_HTTP_HOST", "127.0.0.1"));
        ManagedProcess worker = new ManagedProcess(
                id,
                concat(
                        workerJvm,
                        "-Djdk.lang.Process.launchMechanism=VFORK",
                        "-jar",
                        RepoPaths.app("worker-service").toString()),
                env,
                dir.resolve("logs/" + id + ".log"));
        workers.add(worker.start());
        workerUrls.add("http://127.0.0.1:" + httpPort);
        return worker;
    }

    public long zombieReports() throws Exception {
        long total = 0;
        for (ManagedProcess coordinator : coordinators) {
            total += coordinator.countLogLines("zombie report:");
        }
        return total;
    }

    public static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static void awaitKafka(String bootstrap, Duration timeout) {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                3000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                2000))) {
            await("Kafka at " + bootstrap + " ready")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions()
                    .until(() -> !admin.describeCluster().nodes().get().isEmpty());
        }
    }

    /** The API of the newest coordinator that is alive and ready (the newest one when none is, to fail there). */
    public String liveApi() {
        for (int i = coordinators.size() - 1; i >= 0; i--) {
            if (coordinators.get(i).isAlive() && isReady(apiUrls.get(i))) {
                return apiUrls.get(i);
            }
        }
        return apiUrls.get(apiUrls.size() - 1);
    }

    public static boolean isReady(String api) {
        try {
            return HTTP.send(
                                    HttpRequest.newBuilder(URI.create(api + "/q/health/ready"))
                                            .timeout(Duration.ofSeconds(3))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (Exception e) {
            return false;
        }
    }

    public static void awaitReady(String api, Duration timeout) {
        await("coordinator " + api + " ready")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> isReady(api));
    }

    @Override
    public void close() throws Exception {
        for (ManagedProcess p : workers) {
            p.kill();
        }
        for (ManagedProcess p : coordinators) {
            p.kill();
        }
        for (ManagedProcess p : brokers) {
            p.stop();
        }
        ScratchDirs.deleteAllButLogs(dir);
    }
}
