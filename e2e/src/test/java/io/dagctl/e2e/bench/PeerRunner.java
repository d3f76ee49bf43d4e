package io.dagctl.e2e.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.core.event.Events;
import io.dagctl.e2e.RepoPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one measurement of a peer (e2e/peers/*): a program of its own that warms up, times one workload, and prints one
 * JSON line with its wall time and CPU. What it writes besides goes to a log beside the results.
 */
final class PeerRunner {

    /** One timed workload of a peer: its wall time, its own CPU, and its server's CPU (Redis), all in seconds. */
    record Figure(double seconds, double cpuSeconds, double serverCpuSeconds) {}

    private final Path logDir;

    PeerRunner(Path logDir) {
        this.logDir = logDir;
    }

    /** Whether the peers were installed (e2e/run-bench.sh --peers installs them). */
    static String missing() {
        Path root = RepoPaths.root();
        List<String> missing = new ArrayList<>();
        if (!Files.isDirectory(root.resolve("e2e/peers/bullmq/node_modules/bullmq"))) {
            missing.add("BullMQ (npm ci in e2e/peers/bullmq)");
        }
        if (!Files.isRegularFile(root.resolve("e2e/peers/temporal/target/dagctl-peer-temporal.jar"))) {
            missing.add("the Temporal peer (mvnw -f e2e/peers/temporal/pom.xml package)");
        }
        if (!onPath("redis-server")) {
            missing.add("redis-server (Debian package redis-server)");
        }
        if (!onPath("node")) {
            missing.add("node");
        }
        return String.join(", ", missing);
    }

    Figure bullmq(String workload, int tasks, int slots, String command, RedisServer redis) throws Exception {
        Path dir = RepoPaths.root().resolve("e2e/peers/bullmq");
        return run(
                "bullmq-" + workload,
                dir,
                List.of(
                        "node",
                        "bench.mjs",
                        "--workload",
                        workload,
                        "--tasks",
                        String.valueOf(tasks),
                        "--slots",
                        String.valueOf(slots),
                        "--command",
                        command,
                        // warmed as long as it is timed: dagctl's JVMs ran thousands of tasks before any is timed
                        "--warmup",
                        String.valueOf(tasks),
                        "--redis-port",
                        String.valueOf(redis.port)));
    }

    Figure temporal(String workload, int tasks, int slots, String command) throws Exception {
        Path dir = RepoPaths.root().resolve("e2e/peers/temporal");
        String java = ProcessHandle.current().info().command().orElse("java");
        return run(
                "temporal-" + workload,
                dir,
                List.of(
                        java,
                        "-Xmx1g",
                        "-XX:+UseParallelGC",
                        "-Djdk.lang.Process.launchMechanism=VFORK",
                        "-jar",
                        "target/dagctl-peer-temporal.jar",
                        "--workload",
                        workload,
                        "--tasks",
                        String.valueOf(tasks),
                        "--slots",
                        String.valueOf(slots),
                        "--command",
                        command,
                        "--warmup",
                        String.valueOf(tasks)));
    }

    private Figure run(String name, Path dir, List<String> command) throws Exception {
        Files.createDirectories(logDir);
        Path out = logDir.resolve(name + ".out");
        Path log = logDir.resolve(name + ".log");
        Process process = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        if (!process.waitFor(40, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException(name + " did not finish within 40 minutes; see " + log);
        }
        List<String> lines = Files.readAllLines(out);
        if (process.exitValue() != 0 || lines.isEmpty()) {
            throw new IllegalStateException(name + " failed (exit " + process.exitValue() + "): " + tail(log));
        }
        JsonNode json = Events.mapper().readTree(lines.get(lines.size() - 1));
        return new Figure(
                json.path("seconds").asDouble(),
                json.path("cpu_seconds").asDouble(),
                json.path("server_cpu_seconds").asDouble());
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "(no log)";
        }
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
