package io.dagctl.e2e;

import io.dagctl.kafka.EmbeddedKafka;
import io.dagctl.kafka.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A real broker (in this JVM) plus the coordinator and one worker as separate processes. */
final class TestCluster implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final ServiceProcess coordinator;
    private final ServiceProcess worker;
    private final CoordinatorApi api;
    final Path dir;

    TestCluster(int slots) throws Exception {
        dir = Files.createTempDirectory("dagctl-e2e-");
        kafka = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).build().start();
        int port = FreePorts.next();
        Map<String, String> common = Map.of("DAGCTL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        coordinator = new ServiceProcess("coordinator", RepoPaths.app("coordinator-service"), merge(common, Map.of(
                "QUARKUS_HTTP_PORT", String.valueOf(port),
                "QUARKUS_HTTP_HOST", "127.0.0.1",
                "DAGCTL_COORDINATOR_STATE_DIR", dir.resolve("state").toString())), dir.resolve("coordinator.log"));
        worker = new ServiceProcess("worker", RepoPaths.app("worker-service"), merge(common, Map.of(
                "DAGCTL_WORKER_SLOTS", String.valueOf(slots),
                "DAGCTL_WORKER_WORK_DIR", dir.resolve("work").toString())), dir.resolve("worker.log"),
                "-Djdk.lang.Process.launchMechanism=VFORK");
        api = new CoordinatorApi("http://127.0.0.1:" + port);
        awaitReady(Duration.ofSeconds(120));
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new java.util.HashMap<>(a);
        all.putAll(b);
        return all;
    }

    private void awaitReady(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!coordinator.isAlive() || !worker.isAlive()) {
                throw new IllegalStateException("a service died while starting:\n" + coordinator.describe() + "\n"
                        + worker.describe());
            }
            if (api.isReady()) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the coordinator was not ready in " + timeout + ":\n" + coordinator.describe());
    }

    CoordinatorApi api() {
        return api;
    }

    String diagnostics() {
        try {
            return coordinator.describe() + "\n" + worker.describe();
        } catch (IOException e) {
            return "no logs: " + e;
        }
    }

    @Override
    public void close() throws Exception {
        worker.close();
        coordinator.close();
        kafka.close();
    }
}
