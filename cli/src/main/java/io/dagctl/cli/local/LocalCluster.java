package io.dagctl.cli.local;

import io.dagctl.kafka.EmbeddedKafka;
import io.dagctl.kafka.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A whole dagctl cluster on this machine: an embedded Kafka broker in this JVM, and the coordinator and a worker as
 * child processes. Everything lives under one data directory, temporary unless given.
 */
public final class LocalCluster implements AutoCloseable {

    private final Path home;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final List<ServiceProcess> services = new ArrayList<>();
    private EmbeddedKafka kafka;
    private String apiUrl;

    public LocalCluster(Path home, Path dataDir) throws IOException {
        this.home = home;
        this.deleteOnClose = dataDir == null;
        this.dataDir = dataDir != null ? dataDir : Files.createTempDirectory("dagctl-local-");
    }

    /** Starts the broker, then the coordinator and a worker with {@code slots} slots; {@code step} hears each stage. */
    public void start(int slots, Consumer<String> step) throws IOException {
        step.accept("starting Kafka broker");
        kafka = EmbeddedKafka.builder().dataDir(dataDir.resolve("kafka")).build().start();
        int port = FreePorts.next();
        apiUrl = "http://127.0.0.1:" + port;
        Map<String, String> common = Map.of("DAGCTL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        step.accept("starting coordinator and worker");
        // a local cluster lives for one run: C1-only JIT starts faster and measured faster for runs of seconds
        services.add(ServiceProcess.start("coordinator", jar("coordinator-service"),
                List.of("-XX:TieredStopAtLevel=1"),
                merge(common, Map.of(
                        "QUARKUS_HTTP_PORT", String.valueOf(port),
                        "QUARKUS_HTTP_HOST", "127.0.0.1",
                        "DAGCTL_COORDINATOR_STATE_DIR", dataDir.resolve("coordinator-state").toString(),
                        "DAGCTL_AUTH_TOKEN_FILE", tokenFile().toString())),
                dataDir.resolve("logs/coordinator.log")));
        services.add(ServiceProcess.start("worker", jar("worker-service"),
                List.of("-XX:TieredStopAtLevel=1", "-Djdk.lang.Process.launchMechanism=VFORK"),
                merge(common, Map.of(
                        "DAGCTL_WORKER_SLOTS", String.valueOf(slots),
                        "DAGCTL_WORKER_WORK_DIR", dataDir.resolve("work").toString())),
                dataDir.resolve("logs/worker.log")));
    }

    private Path jar(String module) {
        return home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new java.util.HashMap<>(a);
        all.putAll(b);
        return all;
    }

    public String apiUrl() {
        return apiUrl;
    }

    /** Where the coordinator keeps the API token it generated (mode 0600). */
    public Path tokenFile() {
        return dataDir.resolve("api-token");
    }

    /** The API token, once the coordinator has written it. */
    public String token() throws IOException {
        return Files.readString(tokenFile()).trim();
    }

    public Path dataDir() {
        return dataDir;
    }

    /** A service that exited on its own, with the end of its log, or null when all are up. */
    public String deadServiceReport() {
        for (ServiceProcess service : services) {
            if (!service.isAlive()) {
                return "the " + service.name() + " exited; the end of " + service.logFile() + ":\n" + service.logTail(30);
            }
        }
        return null;
    }

    public String logHint() {
        return "logs: " + dataDir.resolve("logs");
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop(35_000);
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
