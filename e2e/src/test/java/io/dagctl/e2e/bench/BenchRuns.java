package io.dagctl.e2e.bench;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dagctl.core.event.Events;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunPage;
import io.dagctl.core.report.RunSummary;
import io.dagctl.e2e.CoordinatorApi;
import java.time.Duration;
import java.time.LocalTime;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs of benchmark DAGs through a coordinator's API, and the CPU of the processes they run in. */
final class BenchRuns {

    private BenchRuns() {}

    static void progress(String step) {
        System.out.println("[bench " + LocalTime.now().withNano(0) + "] " + step);
    }

    static double timed(CoordinatorApi client, String yaml, Duration timeout) throws Exception {
        return seconds(run(client, yaml, timeout));
    }

    /** From the run's start to its end, as the coordinator recorded them. */
    static double seconds(RunSummary run) {
        return Duration.between(run.startedAt(), run.endedAt()).toNanos() / 1e9;
    }

    /**
     * Submits and waits for the end, polling the cheap run listing rather than the full report, twice a second. Every
     * figure is taken from the coordinator's own record of the run's start and end (a wall time from the submission
     * to that end), so a faster poll would only take CPU from the run it measures.
     */
    static RunSummary run(CoordinatorApi client, String yaml, Duration timeout) throws Exception {
        String runId = client.submit(yaml);
        String dag = yaml.substring("name: ".length(), yaml.indexOf('\n'));
        RunSummary summary = await("benchmark run " + runId + " of " + dag + " to end")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .until(
                        () -> listed(client, dag, runId),
                        listed -> listed != null && listed.status().isTerminal());
        assertEquals(RunStatus.SUCCESS, summary.status(), "benchmark run " + runId + " of " + dag);
        return summary;
    }

    private static RunSummary listed(CoordinatorApi client, String dag, String runId) throws Exception {
        RunPage page = Events.mapper().readValue(client.text("/api/v1/runs?dag=" + dag + "&limit=20"), RunPage.class);
        return page.runs().stream()
                .filter(r -> r.runId().equals(runId))
                .findFirst()
                .orElse(null);
    }

    /** CPU seconds (user + system, without children) of each named process. */
    static Map<String, Double> cpu(Map<String, Long> pids) {
        Map<String, Double> out = new LinkedHashMap<>();
        pids.forEach((name, pid) -> out.put(name, RssSampler.cpuSeconds(pid)));
        return out;
    }
}
