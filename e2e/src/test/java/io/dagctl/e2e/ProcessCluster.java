package io.dagctl.e2e.chaos;

import io.dagctl.e2e.ManagedProcess;
import io.dagctl.e2e.RepoPaths;
import io.dagctl.kafka.FreePorts;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Brokers, coordinators and workers, each a process of its own so that any of them can be killed with SIGKILL and
 * started again on the same data. Settings are those of production except shorter timeouts where a test would wait.
 */
final class ChaosCluster implements AutoCloseable {

    static final String TOKEN = "chaos-token";

    final Path dir;
    final List<ManagedProcess> brokers = new ArrayList<>();
    final List<ManagedProcess> coordinators = new ArrayList<>();
    final List<ManagedProcess> workers = new ArrayList<>();
    final List<String> apiUrls = new ArrayList<>();
    private final List<Integer> brokerPorts = new ArrayList<>();
    private final int replication;
    private int workerSerial;
    private int coordinatorSerial;

    ChaosCluster(Path dir, int brokerCount) throws Exception {
        this.dir = dir;
        this.replication = brokerCount;
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < brokerCount; i++) {
            brokerPorts.add(FreePorts.next());
            controllerPorts.add(FreePorts.next());
        }
        // the CLI ships the embedded broker and its libraries: run it from there, as 'dagctl up' does
        String classpath = RepoPaths.app("cli").getParent().resolve("lib/main") + "/*";
        String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
        for (int i = 0; i < brokerCount; i++) {
            List<String> args = new ArrayList<>(List.of("-XX:TieredStopAtLevel=1", "-Xmx512m", "-cp", classpath,
                    "io.dagctl.kafka.EmbeddedKafkaMain", "--data-dir", dir.resolve("kafka").toString()));
            if (brokerCount == 1) {
                args.addAll(List.of("--port", String.valueOf(brokerPorts.get(0))));
            } else {
                args.addAll(List.of("--nodes", "3", "--node", String.valueOf(i), "--cluster-id", clusterId,
                        "--broker-ports", csv(brokerPorts), "--controller-ports", csv(controllerPorts)));
            }
            brokers.add(new ManagedProcess("broker-" + i, args, Map.of(), dir.resolve("logs/broker-" + i + ".log")));
        }
    }

    private static String csv(List<Integer> ports) {
        return ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    String bootstrap() {
        return brokerPorts.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(","));
    }

    void startBrokers() throws Exception {
        for (ManagedProcess broker : brokers) {
            broker.start();
        }
        ChaosApi.awaitKafka(bootstrap(), Duration.ofSeconds(120));
    }

    /** A coordinator instance; {@code slot} picks its port and state directory, so a restart reuses both. */
    ManagedProcess addCoordinator() throws Exception {
        int slot = coordinatorSerial++;
        int port = FreePorts.next();
        Map<String, String> env = new HashMap<>();
        env.put("DAGCTL_KAFKA_BOOTSTRAP_SERVERS", bootstrap());
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put("DAGCTL_COORDINATOR_STATE_DIR", dir.resolve("coordinator-state-" + slot).toString());
        env.put("DAGCTL_AUTH_TOKENS", "sha256:" + ChaosApi.sha256(TOKEN));
        env.put("DAGCTL_TOPICS_REPLICATION_FACTOR", String.valueOf(replication));
        env.put("DAGCTL_COORDINATOR_STANDBY_REPLICAS", "1");
        ManagedProcess coordinator = new ManagedProcess("coordinator-" + slot,
                List.of("-XX:TieredStopAtLevel=1", "-Xmx768m", "-jar", RepoPaths.app("coordinator-service").toString()),
                env, dir.resolve("logs/coordinator-" + slot + ".log"));
        coordinators.add(coordinator.start());
        apiUrls.add("http://127.0.0.1:" + port);
        return coordinator;
    }

    ManagedProcess addWorker(int slots) throws Exception {
        return addWorker(slots, "30s");
    }

    ManagedProcess addWorker(int slots, String drainGrace) throws Exception {
        String id = "w" + (workerSerial++);
        Map<String, String> env = Map.of(
                "DAGCTL_KAFKA_BOOTSTRAP_SERVERS", bootstrap(),
                "DAGCTL_WORKER_SLOTS", String.valueOf(slots),
                "DAGCTL_WORKER_ID", id,
                "DAGCTL_WORKER_DRAIN_GRACE", drainGrace,
                "DAGCTL_WORKER_WORK_DIR", dir.resolve("work").toString(),
                "QUARKUS_HTTP_PORT", String.valueOf(FreePorts.next()),
                "QUARKUS_HTTP_HOST", "127.0.0.1");
        ManagedProcess worker = new ManagedProcess(id, List.of("-XX:TieredStopAtLevel=1", "-Xmx384m",
                "-Djdk.lang.Process.launchMechanism=VFORK", "-jar", RepoPaths.app("worker-service").toString()),
                env, dir.resolve("logs/" + id + ".log"));
        workers.add(worker.start());
        return worker;
    }

    long zombieReports() throws Exception {
        long total = 0;
        for (ManagedProcess coordinator : coordinators) {
            total += coordinator.countLogLines("zombie report:");
        }
        return total;
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
    }
}
