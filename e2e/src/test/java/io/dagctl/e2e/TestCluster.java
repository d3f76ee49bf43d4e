package io.dagctl.e2e;

import static org.awaitility.Awaitility.await;

import io.dagctl.kafka.EmbeddedKafka;
import io.dagctl.kafka.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A real broker (in this JVM) plus coordinators and one worker as separate processes. With one coordinator the API
 * token is the one it generates; with several, all accept one configured token (by its hash).
 */
final class TestCluster implements AutoCloseable {

    private final EmbeddedKafka kafka;
    private final List<ManagedProcess> coordinators = new ArrayList<>();
    private final List<CoordinatorApi> apis = new ArrayList<>();
    private final ManagedProcess worker;
    private final int workerPort;
    final Path dir;
    final String token;

    TestCluster(int slots) throws Exception {
        this(slots, 1, Map.of());
    }

    /** @param serviceEnv added to the environment of every coordinator and worker */
    TestCluster(int slots, int coordinatorCount, Map<String, String> serviceEnv) throws Exception {
        dir = Files.createTempDirectory("dagctl-e2e-");
        kafka = EmbeddedKafka.builder().dataDir(dir.resolve("kafka")).build().start();
        Map<String, String> common = Map.of("DAGCTL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        String configuredToken = coordinatorCount > 1 ? "e2e-shared-token-" + System.nanoTime() : null;
        for (int i = 0; i < coordinatorCount; i++) {
            int port = FreePorts.next();
            Map<String, String> env = new HashMap<>(common);
            env.putAll(serviceEnv);
            env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
            env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
            env.put("DAGCTL_COORDINATOR_STATE_DIR", dir.resolve("state-" + i).toString());
            env.put("DAGCTL_AUTH_TOKEN_FILE", dir.resolve("api-token").toString());
            if (configuredToken != null) {
                env.put("DAGCTL_AUTH_TOKENS", "sha256:" + ProcessCluster.sha256(configuredToken));
            }
            coordinators.add(new ManagedProcess(
                            "coordinator-" + i,
                            List.of("-jar", RepoPaths.app("coordinator-service").toString()),
                            env,
                            dir.resolve("coordinator-" + i + ".log"))
                    .start());
            apis.add(new CoordinatorApi("http://127.0.0.1:" + port, null));
        }
        workerPort = FreePorts.next();
        Map<String, String> workerEnv = merge(
                common,
                Map.of(
                        "DAGCTL_WORKER_SLOTS", String.valueOf(slots),
                        "DAGCTL_WORKER_WORK_DIR", dir.resolve("work").toString(),
                        "QUARKUS_HTTP_PORT", String.valueOf(workerPort),
                        "QUARKUS_HTTP_HOST", "127.0.0.1"));
        worker = new ManagedProcess(
                        "worker",
                        List.of(
                                "-Djdk.lang.Process.launchMechanism=VFORK",
                                "-jar",
                                RepoPaths.app("worker-service").toString()),
                        merge(workerEnv, serviceEnv),
                        dir.resolve("worker.log"))
                .start();
        for (CoordinatorApi probe : apis) {
            awaitReady(probe, Duration.ofSeconds(120));
        }
        token = configuredToken != null
                ? configuredToken
                : Files.readString(dir.resolve("api-token")).trim();
        apis.replaceAll(probe -> new CoordinatorApi(probe.base(), token));
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new HashMap<>(a);
        all.putAll(b);
        return all;
    }

    /** Kills coordinator {@code i} with SIGKILL and starts it again on the same port and state directory. */
    void restartCoordinator(int i) throws Exception {
        coordinators.get(i).kill();
        coordinators.get(i).start();
        awaitReady(apis.get(i), Duration.ofSeconds(120));
    }

    /** The worker's HTTP base URL (health and metrics). */
    String workerUrl() {
        return "http://127.0.0.1:" + workerPort;
    }

    ManagedProcess worker() {
        return worker;
    }

    ManagedProcess coordinator(int i) {
        return coordinators.get(i);
    }

    private void awaitReady(CoordinatorApi api, Duration timeout) {
        try {
            await("coordinator " + api.base() + " ready")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .failFast(
                            "a service died while starting",
                            () -> !services().stream().allMatch(ManagedProcess::isAlive))
                    .until(api::isReady);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException(e.getMessage() + ":\n" + diagnostics(), e);
        }
    }

    private List<ManagedProcess> services() {
        List<ManagedProcess> all = new ArrayList<>(coordinators);
        all.add(worker);
        return all;
    }

    boolean coordinatorIsReady() {
        return apis.get(0).isReady();
    }

    String bootstrapServers() {
        return kafka.bootstrapServers();
    }

    CoordinatorApi api() {
        return apis.get(0);
    }

    CoordinatorApi api(int coordinator) {
        return apis.get(coordinator);
    }

    String diagnostics() {
        StringBuilder out = new StringBuilder();
        for (ManagedProcess service : services()) {
            try {
                out.append(service.describe()).append('\n');
            } catch (IOException e) {
                out.append("no log: ").append(e).append('\n');
            }
        }
        return out.toString();
    }

    @Override
    public void close() throws Exception {
        worker.stop();
        for (ManagedProcess coordinator : coordinators) {
            coordinator.stop();
        }
        kafka.close();
        ScratchDirs.deleteAllButLogs(dir);
    }
}
