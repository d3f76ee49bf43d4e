package io.dagctl.e2e.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.event.Topics;
import io.dagctl.e2e.Browser;
import io.dagctl.e2e.CoordinatorApi;
import io.dagctl.e2e.ProcessCluster;
import io.dagctl.e2e.RepoPaths;
import io.dagctl.e2e.chaos.ChaosApi;
import io.dagctl.e2e.chaos.Gaps;
import java.io.IOException;
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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;

/**
 * A long history against an empty one, on the same cluster (one broker, two coordinators with a standby copy of each
 * other's state, two workers): the run listing over HTTP and through {@code dagctl runs --limit 50}, and the failover
 * of a run's owner (SIGKILL → the next dispatch of its run by the other instance), first on an empty store, then after
 * N one-task runs have finished. Writes e2e/target/history-bench.json and, for a full run, its section of
 * BENCHMARKS.md.
 */
class HistoryBenchIT {

    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    private static final int RUNS = Integer.getInteger("bench.history-runs", QUICK ? 2_000 : 200_000);
    /** Runs are spread over this many DAG names: one DAG keeps dagctl.retention.max-runs-per-dag (10,000) at most. */
    private static final int DAG_NAMES = 100;

    private static final int SUBMITTERS = QUICK ? 16 : 48;
    private static final int LISTINGS = 20;
    private static final int CLI_CALLS = 5;
    private static final int CHAIN = 40;

    private static final List<String> COORDINATOR_JVM = List.of("-Xmx1g", "-XX:+UseParallelGC");
    private static final List<String> WORKER_JVM = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1");

    @Test
    void measure() throws Exception {
        Path dir = Files.createTempDirectory("dagctl-history-bench-");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("quick", QUICK);
        try (ProcessCluster cluster = new ProcessCluster(dir, 1).jvmOptions(COORDINATOR_JVM, WORKER_JVM)) {
            cluster.startBrokers();
            cluster.addCoordinator();
            cluster.addCoordinator();
            cluster.addWorker(8);
            cluster.addWorker(8);
            for (String api : cluster.apiUrls) {
                ProcessCluster.awaitReady(api, Duration.ofSeconds(120));
            }

            progress("empty store: listing and failover");
            measureAll(cluster, "empty", result);

            // the failover just measured may still be moving partitions: the listing answers 503 until it is done
            long before = await("the run listing answers after the failover")
                    .atMost(Duration.ofMinutes(2))
                    .pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions()
                    .until(() -> total(new CoordinatorApi(cluster.liveApi(), ProcessCluster.TOKEN)), t -> t >= 0);
            long fillStarted = System.nanoTime();
            int accepted = fill(cluster.liveApi());
            long stored = awaitAllFinished(cluster.liveApi(), before + accepted);
            double fillSeconds = (System.nanoTime() - fillStarted) / 1e9;
            result.put("runs_stored", stored);
            result.put("fill_s", round(fillSeconds));
            result.put("fill_runs_per_s", round(accepted / fillSeconds));

            progress(stored + " finished runs: listing and failover");
            measureAll(cluster, "full", result);
            result.put("measured_at", Instant.now().toString());
        }
        String json = BenchSection.write(HistoryBenchIT.class, "history-bench", result, markdown(result), QUICK);
        assertTrue(((Number) result.get("runs_stored")).longValue() >= RUNS, "every run was kept: " + json);
        assertTrue(result.get("full_failover_ms") != null, "the second failover was measured: " + json);
    }

    private static void measureAll(ProcessCluster cluster, String phase, Map<String, Object> result) throws Exception {
        String api = cluster.liveApi();
        double[] listing = listing(api);
        result.put(phase + "_listing_median_ms", round(listing[0]));
        result.put(phase + "_listing_p95_ms", round(listing[1]));
        result.put(phase + "_cli_runs_s", round(cliSeconds(api, "runs", "--limit", "50")));
        result.put(phase + "_ui_runs_page_ms", round(uiRunsPage(api)));
        result.put(phase + "_cli_version_s", round(cliSeconds(api, "--version")));
        result.put(phase + "_failover_ms", failover(cluster));
    }

    /** Median and p95 of {@link #LISTINGS} timed pages of 50 runs, newest first, in milliseconds. */
    private static double[] listing(String api) throws Exception {
        CoordinatorApi client = new CoordinatorApi(api, ProcessCluster.TOKEN);
        client.text("/api/v1/runs?limit=50"); // the first request opens the connection
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < LISTINGS; i++) {
            long started = System.nanoTime();
            JsonNode page = Events.mapper().readTree(client.text("/api/v1/runs?limit=50"));
            millis.add((System.nanoTime() - started) / 1e6);
            assertTrue(page.path("runs").isArray(), "a page of runs: " + page);
        }
        millis.sort(Double::compare);
        return new double[] {millis.get(millis.size() / 2), millis.get((int) Math.ceil(millis.size() * 0.95) - 1)};
    }

    /**
     * Median milliseconds, in a real browser, from asking for the UI's runs list to its first page of runs drawn (the
     * page marks itself ready once the newest 50 are in).
     */
    private static double uiRunsPage(String api) {
        try (Browser browser = new Browser(api)) {
            browser.signIn(ProcessCluster.TOKEN);
            browser.await(Duration.ofSeconds(30), d -> d.getCurrentUrl().endsWith("/"));
            List<Double> millis = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                browser.driver.get("about:blank");
                long started = System.nanoTime();
                browser.open("/#/runs");
                browser.await(
                        Duration.ofSeconds(60),
                        d -> "true".equals(d.findElement(By.id("main")).getDomAttribute("data-ready")));
                millis.add((System.nanoTime() - started) / 1e6);
            }
            millis.sort(Double::compare);
            return millis.get(millis.size() / 2);
        }
    }

    /** Median wall time of the CLI with these arguments, its JVM start included. */
    private static double cliSeconds(String api, String... args) throws Exception {
        List<Double> seconds = new ArrayList<>();
        for (int i = 0; i < CLI_CALLS; i++) {
            List<String> command = new ArrayList<>(List.of("./dagctl"));
            command.addAll(List.of(args));
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(RepoPaths.root().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("DAGCTL_SKIP_BUILD", "1");
            builder.environment().put("DAGCTL_SERVER", api);
            builder.environment().put("DAGCTL_TOKEN", ProcessCluster.TOKEN);
            long started = System.nanoTime();
            Process process = builder.start();
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), "dagctl " + String.join(" ", args) + " finished");
            assertEquals(0, process.exitValue(), "dagctl " + String.join(" ", args));
            seconds.add((System.nanoTime() - started) / 1e9);
        }
        seconds.sort(Double::compare);
        return seconds.get(seconds.size() / 2);
    }

    /**
     * Starts a chain, SIGKILLs the coordinator that owns it, and returns the milliseconds from the kill to the run's
     * next dispatch by the other instance. A new instance then joins, so that the next measurement starts again from
     * two (it becomes the standby, filling its copy from the changelogs in the background).
     */
    private static Long failover(ProcessCluster cluster) throws Exception {
        String api = cluster.liveApi();
        StringBuilder yaml = new StringBuilder("name: failover_chain\ntasks:\n");
        for (int i = 0; i < CHAIN; i++) {
            yaml.append("  - {name: t").append(i).append(", command: \"sleep 0.3\"");
            yaml.append(i == 0 ? "" : ", dependencies: [t" + (i - 1) + "]").append("}\n");
        }
        String runId = ChaosApi.submit(api, yaml.toString());
        Thread.sleep(4000);
        int owner = -1;
        for (int i = 0; i < cluster.coordinators.size() && owner < 0; i++) {
            if (cluster.coordinators.get(i).isAlive() && ChaosApi.owns(cluster.apiUrls.get(i), runId)) {
                owner = i;
            }
        }
        assertTrue(owner >= 0, "an instance owns run " + runId);
        Instant killedAt = Instant.now();
        cluster.coordinators.get(owner).kill();
        await("run " + runId + " to end after its owner was killed")
                .atMost(Duration.ofMinutes(5))
                .pollInterval(Duration.ofSeconds(1))
                .ignoreExceptions()
                .until(
                        () -> new CoordinatorApi(cluster.liveApi(), ProcessCluster.TOKEN)
                                .get(runId)
                                .body()
                                .path("status")
                                .asText(),
                        s -> s.equals("SUCCESS"));
        List<RunEvent> events =
                ChaosApi.events(cluster.bootstrap(), Topics.defaults().events(), runId);
        Long gap = Gaps.failover(events, killedAt);
        progress("failover of run " + runId + "'s owner: " + gap + " ms to its next dispatch");
        cluster.addCoordinator();
        ProcessCluster.awaitReady(cluster.apiUrls.get(cluster.apiUrls.size() - 1), Duration.ofSeconds(120));
        return gap;
    }

    /** Submits {@link #RUNS} one-task runs from {@link #SUBMITTERS} clients; returns how many were accepted. */
    private static int fill(String api) throws Exception {
        progress("submitting " + RUNS + " one-task runs from " + SUBMITTERS + " clients");
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(SUBMITTERS);
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int c = 0; c < SUBMITTERS; c++) {
                all.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < RUNS; i = next.getAndIncrement()) {
                        submit(api, "name: history_" + (i % DAG_NAMES) + "\ntasks:\n  - {name: t, type: noop}\n");
                        int n = accepted.incrementAndGet();
                        if (n % Math.max(1, RUNS / 20) == 0) {
                            double rate = n / ((System.nanoTime() - started) / 1e9);
                            progress(n + " of " + RUNS + " submitted (" + Math.round(rate) + " runs/s)");
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return accepted.get();
    }

    /** Submits, trying again a few times: one refused request (a 503 while a partition moves) must not end the fill. */
    private static void submit(String api, String yaml) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                ChaosApi.submit(api, yaml);
                return;
            } catch (IOException | IllegalStateException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(500L * attempt);
            }
        }
    }

    /** Waits until the store holds every accepted run and none is pending or running; returns how many it holds. */
    private static long awaitAllFinished(String api, long expected) {
        CoordinatorApi client = new CoordinatorApi(api, ProcessCluster.TOKEN);
        return await("every run to finish")
                .atMost(Duration.ofMinutes(QUICK ? 5 : 30))
                .pollInterval(Duration.ofSeconds(2))
                .ignoreExceptions()
                .until(
                        () -> {
                            long total = total(client);
                            boolean open = listsAny(client, "PENDING") || listsAny(client, "RUNNING");
                            return open ? -1 : total;
                        },
                        total -> total >= expected);
    }

    private static long total(CoordinatorApi client) throws Exception {
        return Events.mapper()
                .readTree(client.text("/api/v1/runs?limit=1"))
                .path("total")
                .asLong();
    }

    /** A filtered listing has no total (it would be a scan): whether its first page has a run. */
    private static boolean listsAny(CoordinatorApi client, String status) throws Exception {
        return !Events.mapper()
                .readTree(client.text("/api/v1/runs?limit=1&status=" + status))
                .path("runs")
                .isEmpty();
    }

    static String markdown(Map<String, Object> r) {
        return """
                ### History: %1$s finished runs against an empty store, two coordinators with standby copies \
                (`e2e/run-bench.sh`, %2$s)

                | measure | empty store | %1$s finished runs | target |
                |---|---|---|---|
                | `GET /api/v1/runs?limit=50`, median / p95 | %3$s / %4$s ms | %5$s / %6$s ms | < 200 ms |
                | `dagctl runs --limit 50`, median (its JVM start: `dagctl --version`) | %7$s s (%8$s s) | %9$s s (%10$s s) | |
                | owner SIGKILLed → its run's next dispatch | %11$s ms | %12$s ms | unchanged |
                | filling the store (%13$s clients, one noop task per run) | | %14$s s, %15$s runs/s | |
                | web UI's runs list in Chromium, page asked → first 50 runs drawn, median of 5 | %16$s ms | %17$s ms | < 1,000 ms |
                """.formatted(
                        r.get("runs_stored"),
                        r.get("measured_at"),
                        r.get("empty_listing_median_ms"),
                        r.get("empty_listing_p95_ms"),
                        r.get("full_listing_median_ms"),
                        r.get("full_listing_p95_ms"),
                        r.get("empty_cli_runs_s"),
                        r.get("empty_cli_version_s"),
                        r.get("full_cli_runs_s"),
                        r.get("full_cli_version_s"),
                        r.get("empty_failover_ms"),
                        r.get("full_failover_ms"),
                        SUBMITTERS,
                        r.get("fill_s"),
                        r.get("fill_runs_per_s"),
                        r.get("empty_ui_runs_page_ms"),
                        r.get("full_ui_runs_page_ms"));
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }

    private static void progress(String step) {
        System.out.println("[history-bench " + LocalTime.now().withNano(0) + "] " + step);
    }
}
