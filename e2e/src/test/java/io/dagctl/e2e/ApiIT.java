package io.dagctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.core.event.Events;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.TaskReport;
import io.dagctl.worker.exec.MarkedSleep;
import java.io.BufferedReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The REST API against two coordinator instances sharing the run partitions, a worker and a real broker. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiIT {

    private TestCluster cluster;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        // the longest start-report delay the worker takes, so that a short task surely ends before its start is due
        cluster = new TestCluster(4, 2, Map.of("DAGCTL_WORKER_START_REPORT_DELAY", "1s"));
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static final String TWO_STEPS = """
            name: two_steps
            tasks:
              - {name: first, command: "echo one"}
              - {name: second, command: "echo two", dependencies: [first]}
            """;

    @Test
    void sameIdempotencyKeyReturnsTheSameRun() throws Exception {
        String key = "deploy-" + UUID.randomUUID();
        HttpRequest request = cluster.api()
                .request("/api/v1/runs")
                .header("Idempotency-Key", key)
                .POST(HttpRequest.BodyPublishers.ofString(TWO_STEPS))
                .build();
        CoordinatorApi.Answer first = cluster.api().send(request);
        assertEquals(202, first.status(), first.body().toString());
        String runId = first.body().get("run_id").asText();
        cluster.api().awaitEnd(runId, Duration.ofSeconds(60));
        CoordinatorApi.Answer again = cluster.api(1)
                .send(cluster.api(1)
                        .request("/api/v1/runs")
                        .header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(TWO_STEPS))
                        .build());
        assertEquals(200, again.status(), again.body().toString());
        assertEquals(runId, again.body().get("run_id").asText());
        assertTrue(again.body().get("existing").asBoolean());
        CoordinatorApi.Answer other = cluster.api()
                .send(cluster.api()
                        .request("/api/v1/runs")
                        .header("Idempotency-Key", key + "-2")
                        .POST(HttpRequest.BodyPublishers.ofString(TWO_STEPS))
                        .build());
        assertNotEquals(runId, other.body().get("run_id").asText());
    }

    @Test
    void readsAreAnsweredByEitherInstanceWhoeverOwnsTheRun() throws Exception {
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            runIds.add(cluster.api(0).submit(TWO_STEPS));
        }
        for (String runId : runIds) {
            cluster.api(0).awaitEnd(runId, Duration.ofSeconds(60));
        }
        Set<String> ownedByFirst = localRuns(0);
        Set<String> ownedBySecond = localRuns(1);
        assertTrue(
                runIds.stream().anyMatch(ownedByFirst::contains)
                        && runIds.stream().anyMatch(ownedBySecond::contains),
                "8 runs over 12 partitions should land on both instances: " + ownedByFirst + " / " + ownedBySecond);
        for (String runId : runIds) {
            for (int instance = 0; instance < 2; instance++) {
                CoordinatorApi.Answer answer = cluster.api(instance).get(runId);
                assertEquals(200, answer.status(), "instance " + instance + " on " + runId + ": " + answer.body());
                assertEquals("SUCCESS", answer.body().get("status").asText());
            }
        }
        CoordinatorApi.Answer listing = cluster.api(1)
                .send(cluster.api(1)
                        .request("/api/v1/runs?dag=two_steps&limit=1000")
                        .build());
        assertEquals(200, listing.status(), listing.body().toString());
        Set<String> listed = new HashSet<>();
        listing.body().get("runs").forEach(r -> listed.add(r.get("run_id").asText()));
        assertTrue(listed.containsAll(runIds), "the listing merges both instances' runs");
        CoordinatorApi.Answer page = cluster.api(0)
                .send(cluster.api(0).request("/api/v1/runs?limit=2&offset=1").build());
        assertEquals(2, page.body().get("runs").size());
        // pages of 3 across both instances' indexes, by cursor: every run once, newest first, and then no cursor
        List<String> paged = new ArrayList<>();
        String cursor = "";
        for (int pages = 0; cursor != null && pages < 10; pages++) {
            CoordinatorApi.Answer next = cluster.api(pages % 2)
                    .send(cluster.api(pages % 2)
                            .request("/api/v1/runs?dag=two_steps&limit=3&cursor=" + cursor)
                            .build());
            assertEquals(200, next.status(), next.body().toString());
            next.body().get("runs").forEach(r -> paged.add(r.get("run_id").asText()));
            cursor = next.body().path("next_cursor").isTextual()
                    ? next.body().get("next_cursor").asText()
                    : null;
        }
        List<String> newestFirst = new ArrayList<>();
        listing.body().get("runs").forEach(r -> newestFirst.add(r.get("run_id").asText()));
        assertEquals(newestFirst, paged, "cursor pages follow each other exactly");
        assertEquals(listed.size(), listing.body().get("total").asInt(), "a DAG's total comes from the counters");
        CoordinatorApi.Answer badCursor = cluster.api(0)
                .send(cluster.api(0).request("/api/v1/runs?cursor=bm9wZQ").build());
        assertEquals(400, badCursor.status());
        CoordinatorApi.Answer badFilter = cluster.api(0)
                .send(cluster.api(0).request("/api/v1/runs?status=DONE").build());
        assertEquals(400, badFilter.status());
    }

    private Set<String> localRuns(int instance) throws Exception {
        CoordinatorApi.Answer answer = cluster.api(instance)
                .send(cluster.api(instance).request("/api/v1/runs?scope=local").build());
        Set<String> ids = new HashSet<>();
        answer.body().get("runs").forEach(r -> ids.add(r.get("run_id").asText()));
        return ids;
    }

    @Test
    void cancelStopsTheRunningProcessAndEndsEveryTask() throws Exception {
        MarkedSleep sleep = new MarkedSleep();
        String runId = cluster.api().submit("""
                name: long
                tasks:
                  - {name: sleeper, command: "%s"}
                  - {name: after, command: "true", dependencies: [sleeper]}
                """.formatted(sleep.command()));
        cluster.api().awaitRunning(runId, "sleeper", Duration.ofSeconds(60));
        assertTrue(sleep.awaitRunning(1, Duration.ofSeconds(10)), "the task's process runs");
        CoordinatorApi.Answer cancel = cluster.api(1).post("/api/v1/runs/" + runId + "/cancel");
        assertEquals(202, cancel.status(), cancel.body().toString());
        RunReport report = cluster.api().awaitEnd(runId, Duration.ofSeconds(30));
        assertEquals(RunStatus.CANCELLED, report.status());
        assertEquals(
                TaskStatus.CANCELLED, CoordinatorApi.task(report, "sleeper").status());
        assertEquals(TaskStatus.CANCELLED, CoordinatorApi.task(report, "after").status());
        assertTrue(sleep.awaitGone(Duration.ofSeconds(15)), "the cancelled task's process is gone");
        assertEquals(
                409, cluster.api().post("/api/v1/runs/" + runId + "/cancel").status());
    }

    @Test
    void retryRunsTheFailedTasksOfAFinishedRunAgain() throws Exception {
        String runId = cluster.api().submit("""
                name: second_time_lucky
                tasks:
                  - {name: ok, command: "true"}
                  - {name: flaky, command: '[ "$DAGCTL_ATTEMPT" -ge 2 ]'}
                  - {name: after, command: "true", dependencies: [ok, flaky]}
                """);
        RunReport failed = cluster.api().awaitEnd(runId, Duration.ofSeconds(60));
        assertEquals(RunStatus.FAILED, failed.status());
        assertEquals(
                TaskStatus.UPSTREAM_FAILED, CoordinatorApi.task(failed, "after").status());
        assertEquals(
                409, cluster.api().post("/api/v1/runs/" + runId + "/cancel").status());
        CoordinatorApi.Answer retry = cluster.api().post("/api/v1/runs/" + runId + "/retry");
        assertEquals(202, retry.status(), retry.body().toString());
        RunReport retried = cluster.api()
                .awaitReport(
                        runId, Duration.ofSeconds(60), r -> r.status() == RunStatus.SUCCESS, "succeed after the retry");
        assertEquals(2, CoordinatorApi.task(retried, "flaky").attempts());
        assertEquals(1, CoordinatorApi.task(retried, "ok").attempts(), "what succeeded is kept");
        assertEquals(TaskStatus.SUCCESS, CoordinatorApi.task(retried, "after").status());
        assertEquals(409, cluster.api().post("/api/v1/runs/" + runId + "/retry").status(), "nothing left to retry");
        assertEquals(404, cluster.api().post("/api/v1/runs/nope/retry").status());
    }

    @Test
    void eventsStreamEveryStateChangeInOrderAndAShortTaskIsReportedByItsResultAlone() throws Exception {
        // "first" ends within the worker's 1 s start-report delay: its start is withdrawn, its result alone reports it,
        // and it goes from QUEUED to SUCCESS; "second" runs past the delay and is seen RUNNING
        String runId = cluster.api().submit("""
                name: two_steps
                tasks:
                  - {name: first, command: "sleep 0.2"}
                  - {name: second, command: "sleep 2", dependencies: [first]}
                """);
        List<String> seen = new ArrayList<>();
        try (BufferedReader events = cluster.api(1).stream("/api/v1/runs/" + runId + "/events")) {
            String line;
            while ((line = events.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    JsonNode event = Events.mapper().readTree(line.substring(6));
                    seen.add((event.get("task").isNull()
                                    ? "run"
                                    : event.get("task").asText()) + " "
                            + event.get("status").asText());
                }
            }
        }
        assertEquals(
                List.of(
                        "run RUNNING",
                        "first QUEUED",
                        "first SUCCESS",
                        "second QUEUED",
                        "second RUNNING",
                        "second SUCCESS",
                        "run SUCCESS"),
                seen);
        RunReport report = cluster.api().awaitEnd(runId, Duration.ofSeconds(30));
        TaskReport first = CoordinatorApi.task(report, "first");
        assertNotNull(first.startedAt(), "the result carries the start time");
        assertNotNull(first.workerId(), "the result carries the worker");
        assertTrue(first.durationMs() >= 150, "ran " + first.durationMs() + " ms");
    }

    @Test
    void logsFollowATaskWhileItRunsAndRemainAfterwards() throws Exception {
        String runId = cluster.api().submit("""
                name: chatty
                tasks:
                  - name: talk
                    command: |
                      for i in 1 2 3 4 5; do echo "line $i"; sleep 0.4; done
                      echo "to stderr" >&2
                """);
        cluster.api().awaitRunning(runId, "talk", Duration.ofSeconds(60));
        List<String> followed = new ArrayList<>();
        boolean sawOutputWhileRunning = false;
        try (BufferedReader logs = cluster.api(1).stream("/api/v1/runs/" + runId + "/tasks/talk/logs?follow=true")) {
            String line;
            while ((line = logs.readLine()) != null) {
                followed.add(line);
                if (line.equals("line 1")) {
                    JsonNode now = cluster.api().get(runId).body();
                    sawOutputWhileRunning = now.get("status").asText().equals("RUNNING");
                }
            }
        }
        assertTrue(sawOutputWhileRunning, "the first line arrived while the task was still running");
        assertEquals(List.of("line 1", "line 2", "line 3", "line 4", "line 5", "to stderr"), followed);
        cluster.api().awaitEnd(runId, Duration.ofSeconds(30));
        assertEquals(
                "line 1\nline 2\nline 3\nline 4\nline 5\n",
                cluster.api().text("/api/v1/runs/" + runId + "/tasks/talk/logs?stream=stdout"));
        assertEquals(
                404,
                cluster.api()
                        .send(cluster.api()
                                .request("/api/v1/runs/" + runId + "/tasks/nope/logs")
                                .build())
                        .status());
    }

    @Test
    void aHundredThousandTaskDagIsAccepted() throws Exception {
        StringBuilder yaml = new StringBuilder("name: huge\ntasks:\n  - {name: gate, command: 'sleep 120'}\n");
        for (int i = 0; i < 100_000; i++) {
            yaml.append("  - {name: t").append(i).append(", command: 'true', dependencies: [gate]}\n");
        }
        String runId = cluster.api().submit(yaml.toString());
        RunReport running = cluster.api().awaitRunning(runId, "gate", Duration.ofSeconds(120));
        assertEquals(100_001, running.tasks().size());
        assertEquals(
                202, cluster.api().post("/api/v1/runs/" + runId + "/cancel").status());
        RunReport cancelled = cluster.api().awaitEnd(runId, Duration.ofSeconds(120));
        assertEquals(RunStatus.CANCELLED, cancelled.status());
    }
}
