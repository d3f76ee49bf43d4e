package io.dagctl.cli.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** How the local cluster's coordinator and worker are started: jars, JVM options, settings. */
final class ServiceLaunch {

    /** The coordinators' group session on a broker dagctl configures itself (see docs/architecture.md, failover). */
    static final String FAST_FAILOVER_SESSION = "1s";

    // a local cluster mostly lives for one run: C1-only JIT starts faster and measured faster for runs of seconds
    private static final String C1_ONLY = "-XX:TieredStopAtLevel=1";

    // the serial collector from a small heap: the heap grows with what the process holds, instead of starting at a
    // 64th of the machine's memory, and the collector's own tables are a few MB, not G1's 40-50 (an idle `dagctl up`
    // went from 1,030 MB of RSS to about 530 with the broker's smaller cleaner buffer)
    private static final List<String> SMALL_FOOTPRINT = List.of(C1_ONLY, "-XX:+UseSerialGC", "-Xms32m");

    private final Path home;

    ServiceLaunch(Path home) {
        this.home = home.toAbsolutePath().normalize();
    }

    ServiceProcess coordinator(String bootstrap, int port, Path dataDir, boolean detached) throws IOException {
        return coordinator(bootstrap, port, dataDir, detached, Map.of());
    }

    /** @param settings more of its settings, as environment variables */
    ServiceProcess coordinator(String bootstrap, int port, Path dataDir, boolean detached, Map<String, String> settings)
            throws IOException {
        Map<String, String> env = new HashMap<>(settings);
        env.put("DAGCTL_KAFKA_BOOTSTRAP_SERVERS", bootstrap);
        env.put("QUARKUS_HTTP_PORT", String.valueOf(port));
        env.put("QUARKUS_HTTP_HOST", "127.0.0.1");
        env.put(
                "DAGCTL_COORDINATOR_STATE_DIR",
                dataDir.resolve("coordinator-state").toString());
        env.put("DAGCTL_AUTH_TOKEN_FILE", tokenFile(dataDir).toString());
        // the local broker allows a session of a second (EmbeddedKafka): a dead coordinator is noticed in one, not six
        env.putIfAbsent("DAGCTL_COORDINATOR_SESSION_TIMEOUT", FAST_FAILOVER_SESSION);
        return ServiceProcess.start(
                "coordinator",
                ServiceProcess.jarArgs(jar("coordinator-service"), SMALL_FOOTPRINT),
                jar("coordinator-service").getParent(),
                env,
                dataDir.resolve("logs/coordinator.log"),
                detached);
    }

    /**
     * @param httpPort the worker's health and metrics port
     * @param queues the queues it serves
     */
    ServiceProcess worker(
            String bootstrap, int slots, List<String> queues, int httpPort, Path dataDir, boolean detached)
            throws IOException {
        Map<String, String> env = Map.of(
                "DAGCTL_KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "DAGCTL_WORKER_SLOTS", String.valueOf(slots),
                "DAGCTL_WORKER_QUEUES", String.join(",", queues),
                "DAGCTL_WORKER_WORK_DIR", dataDir.resolve("work").toString(),
                "QUARKUS_HTTP_PORT", String.valueOf(httpPort),
                "QUARKUS_HTTP_HOST", "127.0.0.1");
        return ServiceProcess.start(
                "worker",
                ServiceProcess.jarArgs(
                        jar("worker-service"), concat(SMALL_FOOTPRINT, "-Djdk.lang.Process.launchMechanism=VFORK")),
                jar("worker-service").getParent(),
                env,
                dataDir.resolve("logs/worker.log"),
                detached);
    }

    /** The embedded broker as a process of its own, from the CLI's own libraries. */
    ServiceProcess broker(Path dataDir, int port) throws IOException {
        Path app = home.resolve("cli/target/quarkus-app");
        // trained by the build (cli/pom.xml) on a broker's start and stop: the broker starts in about half the time
        List<String> jvmOptions = new ArrayList<>(ClassDataArchives.use(app.resolve("broker-cds.jsa")));
        jvmOptions.addAll(SMALL_FOOTPRINT);
        String classpath = app.resolve("lib/main") + "/*";
        return ServiceProcess.start(
                "broker",
                concat(
                        jvmOptions,
                        "-cp",
                        classpath,
                        "io.dagctl.kafka.EmbeddedKafkaMain",
                        "--data-dir",
                        dataDir.resolve("kafka").toString(),
                        "--port",
                        String.valueOf(port)),
                app,
                Map.of(),
                dataDir.resolve("logs/broker.log"),
                true);
    }

    private static List<String> concat(List<String> first, String... more) {
        List<String> all = new ArrayList<>(first);
        all.addAll(List.of(more));
        return all;
    }

    /** No broker data yet: nothing to recover, so the services' JVMs may boot while the broker starts. */
    static boolean isFresh(Path dataDir) {
        return !Files.isDirectory(dataDir.resolve("kafka"));
    }

    static Path tokenFile(Path dataDir) {
        return dataDir.resolve("api-token");
    }

    private Path jar(String module) {
        return home.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
