package io.dagctl.e2e.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.e2e.CoordinatorApi;
import io.dagctl.e2e.MetricsPage;
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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many stored DAGs on one schedule ({@code every: 10s}, one noop task each) on a one-coordinator cluster: how late
 * their runs start after their ticks (p50/p99, from the coordinator's histograms) and the coordinator's CPU while
 * they do. Writes e2e/target/schedule-bench.json and, for a full run, its section of BENCHMARKS.md.
 */
class ScheduleBenchIT {

    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    private static final int DAGS = Integer.getInteger("bench.schedules", QUICK ? 300 : 10_000);
    private static final Duration EVERY = Duration.ofSeconds(10);
    private static final Duration WINDOW = Duration.ofSeconds(QUICK ? 30 : 120);
    /** Extra coordinator settings to compare, as JVM options: -Dbench.coordinator-options="-Ddagctl.x=y -D...". */
    private static final List<String> COORDINATOR_JVM =
            coordinatorJvm(System.getProperty("bench.coordinator-options", ""));

    private static final List<String> WORKER_JVM = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1");
    private static final int APPLY_CLIENTS = 32;

    @Test
    void measure() throws Exception {
        Path dir = Files.createTempDirectory("dagctl-schedule-bench-");
        Map<String, Object> result = new LinkedHashMap<>();
        try (ProcessCluster cluster = new ProcessCluster(dir, 1).jvmOptions(COORDINATOR_JVM, WORKER_JVM)) {
            cluster.startBrokers();
            cluster.addCoordinator();
            cluster.addWorker(8);
            String api = cluster.apiUrls.get(0);
            ProcessCluster.awaitReady(api, Duration.ofSeconds(120));
            CoordinatorApi client = new CoordinatorApi(api, ProcessCluster.TOKEN);

            progress("storing " + DAGS + " DAGs scheduled every " + EVERY.toSeconds() + "s");
            long applyStarted = System.nanoTime();
            applyAll(client);
            double applySeconds = (System.nanoTime() - applyStarted) / 1e9;
            progress("stored in " + Math.round(applySeconds) + " s; letting every schedule tick once");
            Thread.sleep(EVERY.multipliedBy(2).toMillis());

            long coordinatorPid = cluster.coordinators.get(0).pid();
            MetricsPage before = MetricsPage.scrape(api);
            double cpuBefore = RssSampler.cpuSeconds(coordinatorPid);
            long measuringFrom = System.nanoTime();
            progress("measuring for " + WINDOW.toSeconds() + " s");
            Thread.sleep(WINDOW.toMillis());
            MetricsPage after = MetricsPage.scrape(api);
            double cpuSeconds = RssSampler.cpuSeconds(coordinatorPid) - cpuBefore;
            double wallSeconds = (System.nanoTime() - measuringFrom) / 1e9;

            MetricsPage.Histogram submitLag = after.histogram("dagctl_schedule_lag_seconds")
                    .minus(before.histogram("dagctl_schedule_lag_seconds"));
            MetricsPage.Histogram startLag = after.histogram("dagctl_schedule_start_lag_seconds")
                    .minus(before.histogram("dagctl_schedule_start_lag_seconds"));
            double fired = ticks(after, "fired") - ticks(before, "fired");
            double skipped = ticks(after, "skipped_overlap") - ticks(before, "skipped_overlap");
            double expected = DAGS * wallSeconds / EVERY.toSeconds();
            result.put("quick", QUICK);
            result.put("dags", DAGS);
            result.put("every_s", EVERY.toSeconds());
            result.put("coordinator_options", String.join(" ", COORDINATOR_JVM));
            result.put("window_s", round(wallSeconds));
            result.put("apply_s", round(applySeconds));
            result.put("ticks_expected", Math.round(expected));
            result.put("ticks_fired", Math.round(fired));
            result.put("ticks_skipped_overlap", Math.round(skipped));
            result.put("runs_started", Math.round(startLag.count()));
            result.put("submit_lag_p50_ms", millis(submitLag.quantile(0.5)));
            result.put("submit_lag_p99_ms", millis(submitLag.quantile(0.99)));
            result.put("start_lag_p50_ms", millis(startLag.quantile(0.5)));
            result.put("start_lag_p99_ms", millis(startLag.quantile(0.99)));
            result.put("coordinator_cpu_cores", round(cpuSeconds / wallSeconds));
            result.put("coordinator_cpu_ms_per_tick", round(cpuSeconds * 1000 / Math.max(1, fired)));
            result.put("measured_at", Instant.now().toString());
        }
        String json = BenchSection.write(ScheduleBenchIT.class, "schedule-bench", result, markdown(result), QUICK);
        assertTrue(((Number) result.get("ticks_fired")).longValue() > 0, "the schedules fired: " + json);
    }

    private static List<String> coordinatorJvm(String extra) {
        List<String> options = new ArrayList<>(List.of("-Xmx1g", "-XX:+UseParallelGC"));
        if (!extra.isBlank()) {
            options.addAll(List.of(extra.trim().split("\\s+")));
        }
        return options;
    }

    private static void applyAll(CoordinatorApi client) throws Exception {
        AtomicInteger stored = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(APPLY_CLIENTS);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < DAGS; i++) {
                String name = "every10s_" + i;
                all.add(pool.submit(() -> {
                    CoordinatorApi.Answer answer = client.put(
                            "/api/v1/dags/" + name,
                            "name: " + name + "\nschedule:\n  every: 10s\ntasks:\n  - {name: t, type: noop}\n");
                    // 202: in Kafka, not yet applied by its owner within the API's wait (counted below)
                    assertTrue(answer.status() == 201 || answer.status() == 202, name + ": " + answer.body());
                    int n = stored.incrementAndGet();
                    if (n % 1000 == 0) {
                        progress(n + " of " + DAGS + " DAGs stored");
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
            await("every DAG stored")
                    .atMost(Duration.ofMinutes(5))
                    .pollInterval(Duration.ofSeconds(1))
                    .until(() -> Events.mapper()
                                    .readTree(client.text("/api/v1/dags?limit=1"))
                                    .path("total")
                                    .asInt()
                            >= DAGS);
        } finally {
            pool.shutdownNow();
        }
    }

    private static double ticks(MetricsPage page, String outcome) {
        return page.sum("dagctl_schedule_ticks_total", "outcome=\"" + outcome + "\"");
    }

    static String markdown(Map<String, Object> r) {
        StringBuilder md = new StringBuilder();
        md.append("### Schedules: ")
                .append(r.get("dags"))
                .append(" DAGs every ")
                .append(r.get("every_s"))
                .append(" s, one noop task each, one coordinator (`e2e/run-bench.sh`, ")
                .append(r.get("measured_at"))
                .append(")\n\n| measure | value | target |\n|---|---|---|\n");
        md.append("| ticks fired / expected in ")
                .append(r.get("window_s"))
                .append(" s | ")
                .append(r.get("ticks_fired"))
                .append(" / ")
                .append(r.get("ticks_expected"))
                .append(" (skipped by overlap: ")
                .append(r.get("ticks_skipped_overlap"))
                .append(") | all |\n");
        md.append("| tick → run submitted by the DAG's owner, p50 / p99 | ")
                .append(r.get("submit_lag_p50_ms"))
                .append(" / ")
                .append(r.get("submit_lag_p99_ms"))
                .append(" ms | |\n");
        md.append("| tick → run started at its owner, p50 / p99 | ")
                .append(r.get("start_lag_p50_ms"))
                .append(" / ")
                .append(r.get("start_lag_p99_ms"))
                .append(" ms | p99 < 1,000 ms |\n");
        md.append("| coordinator CPU | ")
                .append(r.get("coordinator_cpu_cores"))
                .append(" cores, ")
                .append(r.get("coordinator_cpu_ms_per_tick"))
                .append(" ms per tick | |\n");
        md.append("| storing the DAGs (" + APPLY_CLIENTS + " clients) | ")
                .append(r.get("apply_s"))
                .append(" s | |\n");
        return md.toString();
    }

    private static long millis(double seconds) {
        return Double.isNaN(seconds) ? -1 : Math.round(seconds * 1000);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static void progress(String step) {
        System.out.println("[schedule-bench " + LocalTime.now().withNano(0) + "] " + step);
    }
}
