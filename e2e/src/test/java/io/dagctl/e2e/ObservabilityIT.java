package io.dagctl.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.core.event.Events;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunReport;
import io.dagctl.e2e.OtlpReceiver.ReceivedSpan;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Metrics, traces and logs of one real run that outlives a coordinator killed with SIGKILL: scraped by a real
 * Prometheus, exported over OTLP to a receiver in this test, written as JSON lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ObservabilityIT {

    private static final Path ALERTS = RepoPaths.root().resolve("deploy/observability/prometheus/dagctl-alerts.yaml");
    private static final String DAG = """
            name: observed
            tasks:
              - {name: first, command: "echo one"}
              - name: flaky
                command: '[ "$DAGCTL_ATTEMPT" -ge 2 ] || { echo "not yet" >&2; exit 3; }'
                dependencies: [first]
                max_retries: 2
              - {name: slow, command: "sleep 6", dependencies: [first]}
              - {name: last, command: "echo done", dependencies: [flaky, slow]}
            """;

    private final HttpClient http = HttpClient.newHttpClient();
    private OtlpReceiver receiver;
    private TestCluster cluster;
    private PrometheusServer prometheus;
    private RunReport run;

    @BeforeAll
    void runADagThroughACoordinatorCrash() throws Exception {
        receiver = new OtlpReceiver();
        cluster = new TestCluster(
                4,
                1,
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", receiver.endpoint(), "QUARKUS_OTEL_BSP_SCHEDULE_DELAY", "200ms"));
        String runId = cluster.api().submit(DAG);
        cluster.api().awaitRunning(runId, "slow", Duration.ofSeconds(60));
        Thread.sleep(1500); // the spans of what already ended leave the old coordinator's export queue
        cluster.restartCoordinator(0);
        run = cluster.api().awaitEnd(runId, Duration.ofSeconds(120));
    }

    @AfterAll
    void stop() throws Exception {
        if (prometheus != null) {
            prometheus.close();
        }
        if (cluster != null) {
            cluster.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void theRunSucceededAcrossTheCrashAndNamesItsTrace() {
        assertEquals(RunStatus.SUCCESS, run.status(), cluster.diagnostics());
        assertNotNull(run.traceId(), "the report names the run's trace");
        assertTrue(run.traceId().matches("[0-9a-f]{32}"), run.traceId());
    }

    @Test
    void oneTraceCoversCoordinatorAndWorkerWithCorrectParents() throws Exception {
        List<ReceivedSpan> spans = awaitSpans(s -> s.name().equals("run observed"), Duration.ofSeconds(30));
        List<ReceivedSpan> ofRun = spans.stream()
                .filter(s -> run.runId().equals(s.attribute("dagctl.run_id")))
                .toList();
        assertTrue(
                ofRun.stream().allMatch(s -> s.traceId().equals(run.traceId())),
                "every span of the run is in its trace: " + describe(ofRun));
        ReceivedSpan root = only(ofRun, s -> s.name().equals("run observed"));
        assertEquals("", root.parentSpanId(), "the run span is the trace's root");
        assertEquals("dagctl-coordinator", root.service());
        for (String task : List.of("first", "slow", "last")) {
            ReceivedSpan attempt = only(ofRun, s -> s.name().equals("task " + task));
            assertEquals(root.spanId(), attempt.parentSpanId(), task + " attempt under the run");
            assertEquals("1", attempt.attribute("dagctl.attempt"));
            assertEquals("0", attempt.attribute("process.exit.code"));
            assertNotNull(attempt.attribute("dagctl.worker_id"));
            ReceivedSpan execution = only(ofRun, s -> s.name().equals("execute " + task));
            assertEquals("dagctl-worker", execution.service());
            assertEquals(attempt.spanId(), execution.parentSpanId(), task + " execution under its attempt");
            assertEquals(attempt.attribute("dagctl.worker_id"), execution.attribute("dagctl.worker_id"));
        }
        ReceivedSpan failedAttempt =
                only(ofRun, s -> s.name().equals("task flaky") && "1".equals(s.attribute("dagctl.attempt")));
        assertTrue(failedAttempt.error(), "a failed attempt is an error span");
        assertEquals("3", failedAttempt.attribute("process.exit.code"));
        ReceivedSpan failedExecution =
                only(ofRun, s -> s.name().equals("execute flaky") && "1".equals(s.attribute("dagctl.attempt")));
        assertTrue(failedExecution.error());
        assertEquals(failedAttempt.spanId(), failedExecution.parentSpanId());
    }

    @Test
    void healthEndpointsOfBothServicesSayUp() throws Exception {
        for (String url : List.of(
                cluster.api().base() + "/q/health/live",
                cluster.api().base() + "/q/health/ready",
                cluster.workerUrl() + "/q/health/live",
                cluster.workerUrl() + "/q/health/ready")) {
            HttpResponse<String> health =
                    http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(200, health.statusCode(), url + ": " + health.body());
            assertTrue(health.body().contains("\"status\": \"UP\""), url + ": " + health.body());
        }
        String ready = http.send(
                        HttpRequest.newBuilder(URI.create(cluster.workerUrl() + "/q/health/ready"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        assertTrue(ready.contains("assigned_partitions"), ready);
    }

    @Test
    void prometheusScrapesEveryServiceAndAnswersForTheRun() throws Exception {
        prometheus();
        Duration wait = Duration.ofSeconds(45);
        prometheus.await("sum(up{job=~\"dagctl-.*\"})", v -> v == 2, wait);
        prometheus.await("sum(dagctl_worker_tasks_finished_total{outcome=\"succeeded\"})", v -> v == 4, wait);
        prometheus.await("sum(dagctl_worker_tasks_finished_total{outcome=\"failed\"})", v -> v == 1, wait);
        prometheus.await("dagctl_worker_slots", v -> v == 4, wait);
        prometheus.await("dagctl_worker_busy_slot_seconds_total", v -> v >= 6, wait);
        prometheus.await("dagctl_worker_slots_idle", v -> v == 4, wait);
        prometheus.await(
                "sum(dagctl_worker_slot_handoff_seconds_count) - sum(dagctl_worker_tasks_started_total)",
                v -> v == 0,
                wait);
        prometheus.await("dagctl_coordinator_running", v -> v == 1, wait);
        prometheus.await("sum(dagctl_queue_depth)", v -> v == 0, wait);
        prometheus.await("sum(dagctl_runs_active)", v -> v == 0, wait);
        prometheus.await("sum(dagctl_tasks_finished_total{status=\"success\"})", v -> v >= 1, wait);
        prometheus.await("sum(dagctl_dispatch_latency_seconds_count)", v -> v >= 1, wait);
        prometheus.await(
                "histogram_quantile(0.99, sum by (le) (dagctl_dispatch_latency_seconds_bucket))",
                v -> v > 0 && v < 60,
                wait);
        prometheus.await("sum(dagctl_task_duration_seconds_count{dag=\"observed\"})", v -> v >= 1, wait);
        prometheus.await("sum(dagctl_state_restore_seconds_count)", v -> v >= 1, wait);
        prometheus.await(
                "count({__name__=~\"kafka_consumer_fetch_manager_records_lag.*\", job=\"dagctl-worker\"})",
                v -> v >= 1,
                wait);
        prometheus.await("count({__name__=~\"kafka_stream_.*\", job=\"dagctl-coordinator\"})", v -> v >= 1, wait);
        JsonNode alerts = prometheus.query("ALERTS{alertstate=\"firing\"}");
        assertEquals(0, alerts.size(), "no alert fires on a healthy cluster: " + alerts);
    }

    @Test
    void promtoolAcceptsTheExposedMetricsAndTheAlertRules() throws Exception {
        String promtool = Tools.path("promtool");
        for (String base : List.of(cluster.api().base(), cluster.workerUrl())) {
            String text = http.send(
                            HttpRequest.newBuilder(URI.create(base + "/q/metrics"))
                                    .header("Accept", "text/plain; version=0.0.4")
                                    .build(),
                            HttpResponse.BodyHandlers.ofString())
                    .body();
            assertTrue(text.contains("# TYPE dagctl_"), base + " exposes dagctl metrics");
            String ours = text.lines()
                    .filter(l -> l.matches("(# (TYPE|HELP) )?dagctl_.*"))
                    .collect(Collectors.joining("\n", "", "\n"));
            Tools.Result lint = Tools.run(List.of(promtool, "check", "metrics"), ours);
            assertEquals(
                    0,
                    lint.exitCode(),
                    "dagctl metrics of " + base + " break a Prometheus convention:\n" + lint.output());
            // the Kafka clients' and Quarkus' own metric names draw lint remarks (e.g. "_ns" units), but the page
            // parses
            Tools.Result all = Tools.run(List.of(promtool, "check", "metrics"), text);
            assertTrue(
                    !all.output().contains("error while linting"),
                    base + "/q/metrics does not parse:\n" + all.output());
        }
        Tools.Result rules = Tools.run(List.of(promtool, "check", "rules", ALERTS.toString()), null);
        assertEquals(0, rules.exitCode(), rules.output());
        Tools.Result unit = Tools.run(
                List.of(
                        promtool,
                        "test",
                        "rules",
                        ALERTS.resolveSibling("dagctl-alerts.test.yaml").toString()),
                null);
        assertEquals(0, unit.exitCode(), unit.output());
    }

    @Test
    void jsonLogLinesCarryTheTaskIdsAndTheTraceId() throws Exception {
        List<JsonNode> workerLines = jsonLines(cluster.worker().log());
        JsonNode failure = workerLines.stream()
                .filter(l -> l.path("message").asText().contains("ended FAILED"))
                .filter(l -> run.runId().equals(l.path("mdc").path("run_id").asText()))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no worker line about the failed attempt"));
        JsonNode mdc = failure.path("mdc");
        assertEquals("flaky", mdc.path("task").asText());
        assertEquals("1", mdc.path("attempt").asText());
        assertEquals(
                run.tasks().stream()
                        .filter(t -> t.name().equals("flaky"))
                        .findFirst()
                        .orElseThrow()
                        .workerId(),
                mdc.path("worker_id").asText());
        assertEquals(run.traceId(), mdc.path("trace_id").asText());
        assertEquals("INFO", failure.path("level").asText());
        List<JsonNode> coordinatorLines = jsonLines(cluster.coordinator(0).log());
        assertTrue(
                coordinatorLines.stream()
                        .anyMatch(l -> l.path("message").asText().contains("ended SUCCESS")
                                && run.traceId()
                                        .equals(l.path("mdc").path("trace_id").asText())
                                && run.runId()
                                        .equals(l.path("mdc").path("run_id").asText())),
                "the coordinator logs the run's end with its ids");
        assertTrue(
                workerLines.stream().noneMatch(l -> l.path("message").asText().contains("not yet")),
                "task output stays out of the service log");
    }

    private static List<JsonNode> jsonLines(Path log) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : Files.readAllLines(log)) {
            if (line.startsWith("{")) {
                lines.add(Events.mapper().readTree(line));
            }
        }
        assertTrue(lines.size() > 5, "the service logs JSON lines: " + log);
        return lines;
    }

    private void prometheus() throws Exception {
        if (prometheus == null) {
            prometheus = new PrometheusServer(
                    cluster.dir.resolve("prometheus"),
                    List.of(cluster.api().base().replace("http://", "")),
                    List.of(cluster.workerUrl().replace("http://", "")),
                    ALERTS);
        }
    }

    private List<ReceivedSpan> awaitSpans(Predicate<ReceivedSpan> wanted, Duration timeout)
            throws InterruptedException {
        try {
            await().atMost(timeout)
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> receiver.spans().stream().anyMatch(wanted));
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the wanted span never arrived; got: " + describe(receiver.spans())
                    + "; undecodable requests: " + receiver.failures());
        }
        Thread.sleep(1000); // let the worker's last batch arrive too
        return receiver.spans();
    }

    /** The one span that matches; a span exported twice (a transaction replayed after the crash) counts once. */
    private static ReceivedSpan only(List<ReceivedSpan> spans, Predicate<ReceivedSpan> match) {
        Map<String, ReceivedSpan> bySpanId =
                spans.stream().filter(match).collect(Collectors.toMap(ReceivedSpan::spanId, s -> s, (a, b) -> a));
        assertEquals(1, bySpanId.size(), "exactly one matching span among " + describe(spans));
        return bySpanId.values().iterator().next();
    }

    private static String describe(List<ReceivedSpan> spans) {
        return spans.stream()
                .map(s -> s.service() + ":" + s.name() + "[" + s.spanId() + "<-" + s.parentSpanId() + "]")
                .collect(Collectors.joining(", "));
    }
}
