package io.dagctl.e2e.bench;

import static io.dagctl.e2e.bench.BenchRuns.progress;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.core.event.Events;
import io.dagctl.e2e.RepoPaths;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The cold path a new user meets first, through the {@code ./dagctl} launcher as they run it: the CLI's own start,
 * {@code dagctl up} on a fresh data directory, {@code submit --wait} of a one-task DAG on the warm cluster, the idle
 * cluster's memory, {@code dagctl run} of a one-task DAG (the whole command), and a 200-hop chain through
 * {@code dagctl run} beside the same chain on the warmed {@code up} cluster. Writes e2e/target/coldstart.json and the
 * "coldstart" section of BENCHMARKS.md.
 */
class ColdStartBenchIT {

    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    private static final int REPEATS = QUICK ? 3 : 7;
    private static final int RUN_REPEATS = QUICK ? 1 : 3;
    private static final int CHAIN = 200;

    @Test
    void measure() throws Exception {
        Path dir = Files.createTempDirectory("dagctl-coldstart-");
        Path oneTask = Files.writeString(
                dir.resolve("one_task.yaml"), "name: one_task\ntasks:\n  - {name: hello, command: \"echo hello\"}\n");
        Path chain = Files.writeString(dir.resolve("chain.yaml"), BenchDags.chain("chain_200", CHAIN, "true"));
        Path data = dir.resolve("data");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("measured_at", Instant.now().toString());
        result.put("quick", QUICK);

        progress("cold start: the CLI's own start (dagctl --version) x " + REPEATS);
        List<Double> starts = new ArrayList<>();
        for (int i = 0; i < REPEATS; i++) {
            starts.add(dagctl(dir, List.of("--version")).seconds());
        }
        double cliStart = median(starts);
        result.put("cli_start_s", round(cliStart));

        progress("cold start: dagctl up on a fresh data directory");
        String port = String.valueOf(freePort());
        Timed up = dagctl(dir, List.of("up", "--workers", "4", "--port", port, "--data-dir", data.toString()));
        result.put("up_ready_s", round(up.seconds()));
        try {
            progress("cold start: submit --wait of a one-task DAG on the warm cluster x " + REPEATS);
            List<Double> submits = new ArrayList<>();
            for (int i = 0; i < REPEATS + 2; i++) {
                Timed submit = dagctl(
                        dir, List.of("submit", "-f", oneTask.toString(), "--wait", "--data-dir", data.toString()));
                if (i >= 2) { // the first ones warm the coordinator's path
                    submits.add(submit.seconds());
                }
            }
            double submitWait = median(submits);
            result.put("submit_wait_s", round(submitWait));
            result.put("submit_wait_beyond_cli_start_s", round(submitWait - cliStart));

            progress("cold start: the idle cluster's memory after 15 s");
            Thread.sleep(15_000);
            JsonNode state =
                    Events.mapper().readTree(data.resolve("cluster.json").toFile());
            Map<String, Long> rss = new LinkedHashMap<>();
            rss.put("broker", rssMb(state.path("broker_pid").asLong()));
            rss.put("coordinator", rssMb(state.path("coordinator_pid").asLong()));
            rss.put("worker", rssMb(state.path("worker_pid").asLong()));
            result.put("idle_rss_mb", rss);
            result.put(
                    "idle_rss_total_mb",
                    rss.values().stream().mapToLong(Long::longValue).sum());

            progress("cold start: a " + CHAIN + "-hop chain of 'true' on the warmed up cluster");
            dagctl(dir, List.of("submit", "-f", chain.toString(), "--wait", "--data-dir", data.toString()));
            Timed warmChain = dagctl(
                    dir,
                    List.of("submit", "-f", chain.toString(), "--wait", "-o", "json", "--data-dir", data.toString()));
            result.put("warm_chain_ms_per_hop", round(runSeconds(warmChain.stdout()) * 1000 / CHAIN));
        } finally {
            dagctl(dir, List.of("down", "--data-dir", data.toString()));
        }

        progress("cold start: dagctl run of a one-task DAG, the whole command");
        List<Double> runs = new ArrayList<>();
        for (int i = 0; i < RUN_REPEATS; i++) {
            runs.add(dagctl(dir, List.of("run", "-f", oneTask.toString(), "-w", "1"))
                    .seconds());
        }
        result.put("run_one_task_s", round(median(runs)));

        progress("cold start: a " + CHAIN + "-hop chain of 'true' through dagctl run");
        Timed coldChain = dagctl(dir, List.of("run", "-f", chain.toString(), "-w", "1", "-o", "json"));
        result.put("run_chain_ms_per_hop", round(runSeconds(coldChain.stdout()) * 1000 / CHAIN));
        result.put(
                "run_chain_to_warm_hop",
                round((double) result.get("run_chain_ms_per_hop") / (double) result.get("warm_chain_ms_per_hop")));

        BenchSection.write(ColdStartBenchIT.class, "coldstart", result, table(result), QUICK);
    }

    private static String table(Map<String, Object> r) {
        StringBuilder md =
                new StringBuilder("## Cold start\n\nThrough the `./dagctl` launcher on a fresh data directory"
                        + " (`ColdStartBenchIT`, part of `e2e/run-bench.sh`); medians of " + REPEATS
                        + " (CLI start, submit) and " + RUN_REPEATS + " (`dagctl run`).\n\n"
                        + "| what | measured | target | met |\n|---|---|---|---|\n");
        row(
                md,
                "the CLI's own start (`dagctl --version`)",
                r.get("cli_start_s") + " s",
                "≤ 0.3 s",
                num(r, "cli_start_s") <= 0.3);
        row(
                md,
                "`dagctl up` ready (broker, coordinator, worker)",
                r.get("up_ready_s") + " s",
                "≤ 4 s",
                num(r, "up_ready_s") <= 4);
        row(
                md,
                "`submit --wait` of a one-task DAG on the warm cluster, beyond the CLI's start",
                r.get("submit_wait_beyond_cli_start_s") + " s (whole command " + r.get("submit_wait_s") + " s)",
                "≤ 0.3 s",
                num(r, "submit_wait_beyond_cli_start_s") <= 0.3);
        row(
                md,
                "`dagctl run` of a one-task DAG, the whole command",
                r.get("run_one_task_s") + " s",
                "≤ 5 s",
                num(r, "run_one_task_s") <= 5);
        row(
                md,
                "a " + CHAIN + "-hop chain of `true` through `dagctl run`, per hop",
                r.get("run_chain_ms_per_hop") + " ms = " + r.get("run_chain_to_warm_hop") + " × the warmed cluster's "
                        + r.get("warm_chain_ms_per_hop") + " ms",
                "≤ 2 ×",
                num(r, "run_chain_to_warm_hop") <= 2);
        row(
                md,
                "the idle local cluster's memory (RSS: broker, coordinator, worker)",
                r.get("idle_rss_total_mb") + " MB " + r.get("idle_rss_mb"),
                "≤ 700 MB",
                num(r, "idle_rss_total_mb") <= 700);
        return md.toString();
    }

    private static void row(StringBuilder md, String what, String measured, String target, boolean met) {
        md.append("| ")
                .append(what)
                .append(" | ")
                .append(measured)
                .append(" | ")
                .append(target)
                .append(" | ")
                .append(met ? "yes" : "**no**")
                .append(" |\n");
    }

    private static double num(Map<String, Object> r, String key) {
        return ((Number) r.get(key)).doubleValue();
    }

    private record Timed(double seconds, String stdout) {}

    /** Runs {@code ./dagctl} with these arguments (no build), and its wall time; fails on a non-zero exit. */
    private static Timed dagctl(Path dir, List<String> args) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(RepoPaths.root().resolve("dagctl").toString());
        command.addAll(args);
        Path out = dir.resolve("out.txt");
        Path err = dir.resolve("err.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("DAGCTL_SKIP_BUILD", "1");
        builder.environment().remove("DAGCTL_SERVER");
        builder.environment().remove("DAGCTL_TOKEN");
        long start = System.nanoTime();
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new IllegalStateException("dagctl " + args + " did not end within 5 minutes");
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(0, process.exitValue(), "dagctl " + args + ": " + Files.readString(err));
        return new Timed(seconds, Files.readString(out));
    }

    /** The run's own duration, from its JSON report. */
    private static double runSeconds(String json) throws IOException {
        JsonNode report = Events.mapper().readTree(json);
        return Duration.between(
                                Instant.parse(report.path("started_at").asText()),
                                Instant.parse(report.path("ended_at").asText()))
                        .toNanos()
                / 1e9;
    }

    private static long rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return 0;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static double round(double v) {
        return Double.parseDouble(String.format(Locale.ROOT, "%.3f", v));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
