package io.dagctl.e2e.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunPage;
import io.dagctl.core.report.RunSummary;
import io.dagctl.e2e.CoordinatorApi;
import io.dagctl.e2e.ProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * Fan-out over a list produced at run time ({@code for_each} over a task's JSON output) against the same fan-out
 * written out statically, both of noop tasks, interleaved in one harness run so that a slow minute hits both; and
 * how long a one-task run takes while each is going on (other runs must not stall). Writes
 * e2e/target/mapping-bench.json and, for a full run, its section of BENCHMARKS.md.
 */
class MappingBenchIT {

    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    private static final int ITEMS = Integer.getInteger("bench.items", QUICK ? 2_000 : 50_000);
    private static final int ROUNDS = QUICK ? 1 : 2;
    /** When the one-task probe run goes in: in the thick of either big run (each lasts 10 to 20 s here). */
    private static final Duration PROBE_AFTER = Duration.ofSeconds(QUICK ? 1 : 4);

    private static final List<String> COORDINATOR_JVM = List.of("-Xmx1g", "-XX:+UseParallelGC");
    private static final List<String> WORKER_JVM = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1");

    @Test
    void measure() throws Exception {
        Path dir = Files.createTempDirectory("dagctl-mapping-bench-");
        Map<String, Object> result = new LinkedHashMap<>();
        try (ProcessCluster cluster = new ProcessCluster(dir, 1)
                .jvmOptions(COORDINATOR_JVM, WORKER_JVM)
                // the list of 50,000 numbers is 289 KB of JSON: past the default 64 KiB of outputs
                .workerSettings(Map.of("DAGCTL_WORKER_MAX_OUTPUT_BYTES", "524288"))) {
            cluster.startBrokers();
            cluster.addCoordinator();
            cluster.addWorker(8);
            String api = cluster.apiUrls.get(0);
            ProcessCluster.awaitReady(api, Duration.ofSeconds(120));
            CoordinatorApi client = new CoordinatorApi(api, ProcessCluster.TOKEN);

            progress("warm-up");
            run(client, BenchDags.fanOut("warm_static", Math.min(ITEMS, 2_000), null));
            run(client, mapped("warm_mapped", Math.min(ITEMS, 2_000)));
            double idleProbe = probe(client, "probe_idle");

            List<Double> staticRates = new ArrayList<>();
            List<Double> mappedRates = new ArrayList<>();
            List<Double> staticProbes = new ArrayList<>();
            List<Double> mappedProbes = new ArrayList<>();
            for (int round = 1; round <= ROUNDS; round++) {
                progress("round " + round + ": static fan-out of " + ITEMS + " noop tasks");
                Measured fixed = measured(client, BenchDags.fanOut("static_" + round, ITEMS, null), "probe_s" + round);
                staticRates.add((ITEMS + 2) / fixed.seconds());
                staticProbes.add(fixed.probeSeconds());
                progress("round " + round + ": for_each over " + ITEMS + " items of noop");
                Measured mapped = measured(client, mapped("mapped_" + round, ITEMS), "probe_m" + round);
                mappedRates.add((ITEMS + 2) / mapped.seconds());
                mappedProbes.add(mapped.probeSeconds());
            }
            double staticRate = best(staticRates);
            double mappedRate = best(mappedRates);
            result.put("quick", QUICK);
            result.put("items", ITEMS);
            result.put("rounds", ROUNDS);
            result.put("static_tasks_per_s", round(staticRate));
            result.put("mapped_tasks_per_s", round(mappedRate));
            result.put("static_over_mapped", round(staticRate / mappedRate));
            result.put(
                    "static_rounds_tasks_per_s",
                    staticRates.stream().map(MappingBenchIT::round).toList());
            result.put(
                    "mapped_rounds_tasks_per_s",
                    mappedRates.stream().map(MappingBenchIT::round).toList());
            result.put("probe_idle_ms", millis(idleProbe));
            result.put("probe_during_static_ms", millis(Math.max(staticProbes.get(0), staticProbes.get(ROUNDS - 1))));
            result.put("probe_during_mapped_ms", millis(Math.max(mappedProbes.get(0), mappedProbes.get(ROUNDS - 1))));
            result.put("measured_at", Instant.now().toString());
        }
        String json = BenchSection.write(MappingBenchIT.class, "mapping-bench", result, markdown(result), QUICK);
        assertTrue(((Number) result.get("mapped_tasks_per_s")).doubleValue() > 0, json);
    }

    /** A root that writes the list as its output, a noop task mapped over it, and a join. */
    static String mapped(String name, int items) {
        return "name: " + name + "\ntasks:\n"
                + "  - name: root\n    type: python\n    command: |\n"
                + "      import json, os\n"
                + "      json.dump({'items': list(range(" + items + "))}, open(os.environ['DAGCTL_OUTPUT'], 'w'))\n"
                + "  - name: each\n    type: noop\n    dependencies: [root]\n    max_instances: " + items + "\n"
                + "    for_each: \"{{ tasks.root.outputs.items }}\"\n"
                + "  - {name: join, type: noop, dependencies: [each]}\n";
    }

    private record Measured(double seconds, double probeSeconds) {}

    /** Runs the DAG; {@link #PROBE_AFTER} after it starts, a one-task run is timed from its submission to its end. */
    private static Measured measured(CoordinatorApi client, String yaml, String probeName) throws Exception {
        CompletableFuture<Double> probe = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(PROBE_AFTER.toMillis());
                return probe(client, probeName);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        RunSummary run = run(client, yaml);
        return new Measured(seconds(run), probe.get());
    }

    private static double probe(CoordinatorApi client, String name) throws Exception {
        long started = System.nanoTime();
        RunSummary probe = run(client, "name: " + name + "\ntasks:\n  - {name: t, type: noop}\n");
        double total = (System.nanoTime() - started) / 1e9;
        progress("probe " + name + ": " + Math.round(total * 1000) + " ms from submit to end, of which "
                + Math.round(
                        Duration.between(probe.submittedAt(), probe.startedAt()).toMillis())
                + " ms to its start at the coordinator and " + Math.round(seconds(probe) * 1000)
                + " ms from there to its end (its task's dispatch waiting in the dispatch topic behind the big run's)");
        return total;
    }

    private static RunSummary run(CoordinatorApi client, String yaml) throws Exception {
        String runId = client.submit(yaml);
        String dag = yaml.substring("name: ".length(), yaml.indexOf('\n'));
        RunSummary summary = await("run " + runId + " of " + dag + " to end")
                .atMost(Duration.ofMinutes(20))
                .pollInterval(Duration.ofMillis(50))
                .until(
                        () -> listed(client, dag, runId),
                        listed -> listed != null && listed.status().isTerminal());
        assertEquals(RunStatus.SUCCESS, summary.status(), "run " + runId + " of " + dag);
        return summary;
    }

    private static RunSummary listed(CoordinatorApi client, String dag, String runId) throws Exception {
        RunPage page = Events.mapper().readValue(client.text("/api/v1/runs?dag=" + dag + "&limit=5"), RunPage.class);
        return page.runs().stream()
                .filter(r -> r.runId().equals(runId))
                .findFirst()
                .orElse(null);
    }

    static String markdown(Map<String, Object> r) {
        return "### Fan-out over a list made at run time: for_each over "
                + r.get("items") + " noop items against the same fan-out written out (`e2e/run-bench.sh`, "
                + r.get("measured_at") + ")\n\n"
                + "| measure | static fan-out | for_each | target |\n|---|---|---|---|\n"
                + "| tasks per second (best of " + r.get("rounds") + ", rounds interleaved) | "
                + r.get("static_tasks_per_s") + " | " + r.get("mapped_tasks_per_s") + " | static / for_each ≤ 1.5 (is "
                + r.get("static_over_mapped") + ") |\n"
                + "| a one-task run submitted meanwhile, submit → end | " + r.get("probe_during_static_ms") + " ms | "
                + r.get("probe_during_mapped_ms") + " ms | idle: " + r.get("probe_idle_ms") + " ms |\n";
    }

    private static double seconds(RunSummary run) {
        return Duration.between(run.startedAt(), run.endedAt()).toNanos() / 1e9;
    }

    private static double best(List<Double> rates) {
        return rates.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    private static long millis(double seconds) {
        return Math.round(seconds * 1000);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static void progress(String step) {
        System.out.println("[mapping-bench " + LocalTime.now().withNano(0) + "] " + step);
    }
}
