package io.dagctl.e2e.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.e2e.Browser;
import io.dagctl.e2e.CoordinatorApi;
import io.dagctl.e2e.ManagedProcess;
import io.dagctl.e2e.MetricsPage;
import io.dagctl.e2e.ProcessCluster;
import io.dagctl.e2e.chaos.ChaosApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WindowType;

/**
 * The web UI at scale, in a real browser (Debian's Chromium): the run page of a 100,000-task run (20 levels of 5,000
 * noop tasks) until it is interactive, while the run runs and once it has ended; then 20 browser windows, each following its own
 * live run, for a minute, with the coordinator's heap after a full GC at the start and at the end. Writes
 * e2e/target/ui-bench.json and, for a full run, its section of BENCHMARKS.md.
 */
class UiBenchIT {

    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    private static final int LEVELS = 20;
    private static final int WIDTH = Integer.getInteger("bench.ui-width", QUICK ? 500 : 5_000);
    private static final int TABS = QUICK ? 5 : 20;
    private static final Duration FOLLOW = QUICK ? Duration.ofSeconds(20) : Duration.ofSeconds(60);
    private static final int LOADS = 5;

    private static final List<String> COORDINATOR_JVM = List.of("-Xmx2g", "-XX:+UseParallelGC");
    private static final List<String> WORKER_JVM = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1");

    @Test
    void measure() throws Exception {
        Path dir = Files.createTempDirectory("dagctl-ui-bench-");
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("quick", QUICK);
        result.put("tasks", LEVELS * WIDTH);
        try (ProcessCluster cluster = new ProcessCluster(dir, 1).jvmOptions(COORDINATOR_JVM, WORKER_JVM)) {
            cluster.startBrokers();
            ManagedProcess coordinator = cluster.addCoordinator();
            cluster.addWorker(8);
            cluster.addWorker(TABS + 4);
            String api = cluster.apiUrls.get(0);
            ProcessCluster.awaitReady(api, Duration.ofSeconds(120));
            CoordinatorApi client = new CoordinatorApi(api, ProcessCluster.TOKEN);
            try (Browser browser = new Browser(api)) {
                browser.signIn(ProcessCluster.TOKEN);
                browser.await(Duration.ofSeconds(30), d -> d.getCurrentUrl().endsWith("/"));

                progress("submitting a run of " + LEVELS * WIDTH + " tasks");
                String big = ChaosApi.submit(api, layered(LEVELS, WIDTH));
                await("the big run to start")
                        .atMost(Duration.ofMinutes(5))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> status(client, big), s -> !s.equals("PENDING") && !s.equals("NOT_YET"));
                List<Double> live = new ArrayList<>();
                String bigStatus = status(client, big);
                for (int i = 0; i < LOADS && bigStatus.equals("RUNNING"); i++) {
                    live.add(pageMillis(browser, big));
                    bigStatus = status(client, big);
                }
                result.put("big_run_page_live_ms", live);
                String view = client.text("/api/v1/runs/" + big + "/view");
                result.put("big_run_view_bytes", view.length());
                result.put(
                        "big_run_boxes",
                        Events.mapper().readTree(view).path("nodes").size());
                result.put(
                        "big_run_scan_ms_live",
                        Events.mapper().readTree(view).path("scan_ms").asLong());
                await("the big run to end")
                        .atMost(Duration.ofMinutes(30))
                        .pollInterval(Duration.ofSeconds(1))
                        .until(() -> status(client, big), s -> s.equals("SUCCESS"));
                List<Double> ended = new ArrayList<>();
                for (int i = 0; i < LOADS; i++) {
                    ended.add(pageMillis(browser, big));
                }
                result.put("big_run_page_ended_ms", ended);
                result.put(
                        "big_run_scan_ms_ended",
                        Events.mapper()
                                .readTree(client.text("/api/v1/runs/" + big + "/view"))
                                .path("scan_ms")
                                .asLong());
                result.put("big_run_page_ended_median_ms", median(ended));
                result.put("big_run_page_live_median_ms", live.isEmpty() ? null : median(live));

                progress("opening " + TABS + " tabs, each on a live run");
                List<String> runs = new ArrayList<>();
                for (int i = 0; i < TABS; i++) {
                    runs.add(ChaosApi.submit(api, BenchDags.chain("tab" + i, 400, "sleep 0.25")));
                }
                for (int i = 0; i < TABS; i++) {
                    if (i > 0) {
                        // a window of its own, not a background tab: Chromium slows a hidden tab's timers down
                        browser.driver.switchTo().newWindow(WindowType.WINDOW);
                    }
                    browser.open("/#/runs/" + runs.get(i));
                    browser.await(
                            Duration.ofSeconds(30),
                            d -> "true".equals(d.findElement(By.id("main")).getDomAttribute("data-ready")));
                }
                Thread.sleep(5_000);
                double heapStart = heapAfterGc(coordinator, api);
                long viewsStart = viewRequests(browser);
                long started = System.nanoTime();
                List<Double> heaps = new ArrayList<>();
                while (System.nanoTime() - started < FOLLOW.toNanos()) {
                    Thread.sleep(Math.min(10_000, FOLLOW.toMillis() / 4));
                    heaps.add(heapAfterGc(coordinator, api));
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                long views = viewRequests(browser) - viewsStart;
                double heapEnd = heaps.get(heaps.size() - 1);
                result.put("tabs", TABS);
                result.put("follow_s", round(seconds));
                result.put("view_requests_per_s", round(views / seconds));
                result.put(
                        "heap_after_gc_mb", heaps.stream().map(UiBenchIT::round).toList());
                result.put("heap_start_mb", round(heapStart));
                result.put("heap_end_mb", round(heapEnd));
                result.put("heap_growth_ratio", round(heapEnd / heapStart));
                for (String run : runs) {
                    client.post("/api/v1/runs/" + run + "/cancel");
                }
            }
            result.put("measured_at", Instant.now().toString());
        }
        String json = BenchSection.write(UiBenchIT.class, "ui-bench", result, markdown(result), QUICK);
        assertTrue(result.get("big_run_page_ended_median_ms") != null, json);
        assertTrue(((Number) result.get("view_requests_per_s")).doubleValue() > 0, "the tabs were following: " + json);
    }

    /** {@code levels} levels of {@code width} noop tasks; each task depends on the task in its place one level up. */
    static String layered(int levels, int width) {
        StringBuilder yaml = new StringBuilder("name: ui_layers\ntasks:\n");
        for (int l = 0; l < levels; l++) {
            for (int i = 0; i < width; i++) {
                yaml.append("  - {name: l").append(l).append('_').append(i).append(", type: noop");
                if (l > 0) {
                    yaml.append(", dependencies: [l")
                            .append(l - 1)
                            .append('_')
                            .append(i)
                            .append(']');
                }
                yaml.append("}\n");
            }
        }
        return yaml.toString();
    }

    /** Milliseconds from asking for the run page to its graph drawn and its data in (the page marks itself ready). */
    private static double pageMillis(Browser browser, String runId) {
        browser.driver.get("about:blank");
        long started = System.nanoTime();
        browser.open("/#/runs/" + runId);
        browser.await(
                Duration.ofSeconds(60),
                d -> "true".equals(d.findElement(By.id("main")).getDomAttribute("data-ready"))
                        && !d.findElements(By.cssSelector("#graph .node")).isEmpty());
        return round((System.nanoTime() - started) / 1e6);
    }

    private static String status(CoordinatorApi client, String runId) throws Exception {
        CoordinatorApi.Answer answer = client.get(runId + "/summary");
        // a large submission is accepted before its run exists: until then the run is not found
        return answer.status() == 200 ? answer.body().path("status").asText() : "NOT_YET";
    }

    /** The coordinator's used heap in MB right after a full GC (forced with jcmd). */
    private static double heapAfterGc(ManagedProcess coordinator, String api) throws Exception {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process gc = new ProcessBuilder(jcmd.toString(), String.valueOf(coordinator.pid()), "GC.run")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        assertTrue(gc.waitFor(60, TimeUnit.SECONDS), "jcmd GC.run finished");
        return MetricsPage.scrape(api).sum("jvm_memory_used_bytes", "area=\"heap\"") / (1024 * 1024);
    }

    /** How many times the open windows have read a run's view so far, from each page's own resource timings. */
    private static long viewRequests(Browser browser) {
        long total = 0;
        String current = browser.driver.getWindowHandle();
        for (String window : browser.driver.getWindowHandles()) {
            browser.driver.switchTo().window(window);
            Object n = browser.driver.executeScript(
                    "return performance.getEntriesByType('resource').filter(e => e.name.includes('/view')).length;");
            total += ((Number) n).longValue();
        }
        browser.driver.switchTo().window(current);
        return total;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(sorted.size() / 2);
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    private static String markdown(Map<String, Object> r) {
        return "## Web UI at scale (`UiBenchIT`)\n\n"
                + "Measured " + r.get("measured_at") + " in Debian's Chromium (headless, Selenium), one coordinator"
                + " (`-Xmx2g`), two workers. Reproduce: `./mvnw -B -ntp -Pbench -pl e2e verify -Dit.test=UiBenchIT`.\n\n"
                + "| what | measured | target |\n|---|---|---|\n"
                + "| run page of a " + String.format("%,d", (Integer) r.get("tasks")) + "-task run, while it runs,"
                + " until interactive (median of " + LOADS + ") | " + r.get("big_run_page_live_median_ms") + " ms "
                + r.get("big_run_page_live_ms") + " | < 2,000 ms |\n"
                + "| the same, after it ended | " + r.get("big_run_page_ended_median_ms") + " ms "
                + r.get("big_run_page_ended_ms") + " | < 2,000 ms |\n"
                + "| what the page reads for it (`/view`) | "
                + String.format("%,d", (Integer) r.get("big_run_view_bytes"))
                + " bytes, " + r.get("big_run_boxes") + " boxes | bounded by boxes, not tasks |\n"
                + "| the coordinator's scan of the run's task entries for a snapshot, live / ended | "
                + r.get("big_run_scan_ms_live") + " / " + r.get("big_run_scan_ms_ended") + " ms | |\n"
                + "| " + r.get("tabs") + " windows following live runs for " + r.get("follow_s")
                + " s: coordinator heap"
                + " after full GC, start → end | " + r.get("heap_start_mb") + " → " + r.get("heap_end_mb") + " MB (×"
                + r.get("heap_growth_ratio") + "; samples " + r.get("heap_after_gc_mb") + ") | flat |\n"
                + "| run views the windows read meanwhile | " + r.get("view_requests_per_s") + " /s | |\n";
    }

    private static void progress(String what) {
        System.out.println("[ui-bench " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "] " + what);
    }
}
