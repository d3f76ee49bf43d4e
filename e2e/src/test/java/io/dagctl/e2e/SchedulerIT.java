package io.dagctl.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.Topics;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.model.TaskType;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.TaskReport;
import io.dagctl.worker.exec.MarkedSleep;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The scheduler end to end: a real Kafka broker, the coordinator and a worker with 8 slots as separate processes,
 * DAGs submitted over HTTP.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(SchedulerIT.DumpLogsOnFailure.class)
class SchedulerIT {

    static final int SLOTS = 8;
    static final int RELEASE_BATCH = 100;
    static TestCluster cluster;
    private Path sideEffects;

    @BeforeAll
    void start() throws Exception {
        // a small release batch, so that a fan-out of a few hundred goes out in several transactions
        cluster = new TestCluster(SLOTS, 1, Map.of("DAGCTL_COORDINATOR_BATCH_SIZE", String.valueOf(RELEASE_BATCH)));
        sideEffects = Files.createTempDirectory("dagctl-side-effects");
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
        ScratchDirs.deleteAllButLogs(sideEffects);
    }

    private RunReport run(String yaml, Duration timeout) throws Exception {
        return cluster.api().awaitEnd(cluster.api().submit(yaml), timeout);
    }

    private static Map<String, TaskReport> byName(RunReport report) {
        return report.tasks().stream().collect(Collectors.toMap(TaskReport::name, Function.identity()));
    }

    @Test
    void diamondRunsEachTaskAfterItsDependencies() throws Exception {
        RunReport report = run("""
                name: diamond
                tasks:
                  - {name: a, command: "sleep 0.2"}
                  - {name: b, command: "sleep 0.3", dependencies: [a]}
                  - {name: c, command: "sleep 0.1", dependencies: [a]}
                  - {name: d, command: "echo joined", dependencies: [b, c]}
                """, Duration.ofSeconds(60));
        assertEquals(RunStatus.SUCCESS, report.status());
        Map<String, TaskReport> t = byName(report);
        assertTrue(t.values().stream().allMatch(x -> x.status() == TaskStatus.SUCCESS && x.attempts() == 1));
        assertFalse(t.get("b").startedAt().isBefore(t.get("a").endedAt()));
        assertFalse(t.get("c").startedAt().isBefore(t.get("a").endedAt()));
        assertFalse(t.get("d").startedAt().isBefore(t.get("b").endedAt()));
        assertFalse(t.get("d").startedAt().isBefore(t.get("c").endedAt()));
        assertEquals("joined\n", t.get("d").stdoutTail());
        assertNotNull(report.endedAt());
        assertTrue(report.durationMs() >= 500, "a then b takes at least 0.5 s: " + report.durationMs());
    }

    @Test
    void aFanOutWiderThanOneReleaseBatchRunsEveryTaskOnceAndThenItsJoin() throws Exception {
        int width = 2 * RELEASE_BATCH + 50;
        StringBuilder yaml = new StringBuilder("name: batched\ntasks:\n  - {name: root, command: \"true\"}\n");
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < width; i++) {
            yaml.append("  - {name: t").append(i).append(", type: noop, dependencies: [root]}\n");
            all.append(i == 0 ? "" : ", ").append('t').append(i);
        }
        yaml.append("  - {name: join, type: noop, dependencies: [").append(all).append("]}\n");
        RunReport report = run(yaml.toString(), Duration.ofSeconds(60));
        assertEquals(RunStatus.SUCCESS, report.status());
        assertEquals(width + 2, report.tasks().size());
        Map<String, TaskReport> t = byName(report);
        Instant lastDependentEnd = Instant.MIN;
        for (int i = 0; i < width; i++) {
            TaskReport dependent = t.get("t" + i);
            assertEquals(TaskStatus.SUCCESS, dependent.status(), dependent.name());
            assertEquals(1, dependent.attempts(), dependent.name() + " was dispatched once");
            lastDependentEnd = dependent.endedAt().isAfter(lastDependentEnd) ? dependent.endedAt() : lastDependentEnd;
        }
        assertTrue(!t.get("join").startedAt().isBefore(lastDependentEnd), "the join ran after the last batch");
    }

    @Test
    void noopJoinSucceedsAtOnceWithoutAProcessAndGatesWhatFollows() throws Exception {
        RunReport report = run("""
                name: gated
                tasks:
                  - {name: left, command: "sleep 0.2"}
                  - {name: right, command: "echo right"}
                  - {name: gate, type: noop, dependencies: [left, right]}
                  - {name: after, command: "echo after", dependencies: [gate]}
                """, Duration.ofSeconds(60));
        assertEquals(RunStatus.SUCCESS, report.status());
        Map<String, TaskReport> t = byName(report);
        TaskReport gate = t.get("gate");
        assertEquals(TaskStatus.SUCCESS, gate.status());
        assertEquals(1, gate.attempts());
        assertEquals(0, gate.exitCode());
        assertNotNull(gate.workerId(), "a worker completed it");
        assertEquals("", gate.stdoutTail(), "no process, no output");
        assertFalse(gate.startedAt().isBefore(t.get("left").endedAt()));
        assertFalse(t.get("after").startedAt().isBefore(gate.endedAt()));
        assertEquals("after\n", t.get("after").stdoutTail());
    }

    @Test
    void taskFailingTwiceSucceedsOnTheThirdAttemptAfterGrowingBackoffs() throws Exception {
        Path attempts = sideEffects.resolve("flaky-" + UUID.randomUUID());
        RunReport report = run("""
                name: flaky
                tasks:
                  - name: flaky
                    command: |
                      echo "$DAGCTL_ATTEMPT $(date +%%s%%3N)" >> %s
                      [ "$DAGCTL_ATTEMPT" -ge 3 ]
                    max_retries: 3
                    retry_delay: 1s
                """.formatted(attempts), Duration.ofSeconds(60));
        assertEquals(RunStatus.SUCCESS, report.status());
        TaskReport flaky = report.tasks().get(0);
        assertEquals(3, flaky.attempts());
        List<long[]> lines = Files.readAllLines(attempts).stream()
                .map(l -> new long[] {Long.parseLong(l.split(" ")[0]), Long.parseLong(l.split(" ")[1])})
                .toList();
        assertEquals(List.of(1L, 2L, 3L), lines.stream().map(l -> l[0]).toList());
        long firstGap = lines.get(1)[1] - lines.get(0)[1];
        long secondGap = lines.get(2)[1] - lines.get(1)[1];
        assertTrue(firstGap >= 900, "first retry waits about 1 s (±10 %), waited " + firstGap + " ms");
        assertTrue(secondGap >= 1800, "second retry waits about 2 s (±10 %), waited " + secondGap + " ms");
        assertTrue(secondGap > firstGap, "backoff grows: " + firstGap + " then " + secondGap);
    }

    @Test
    void permanentFailureFailsDependentsWhileAnIndependentBranchSucceeds() throws Exception {
        RunReport report = run("""
                name: partial
                tasks:
                  - {name: broken, command: "echo no database >&2; exit 4", max_retries: 1, retry_delay: 100ms}
                  - {name: needs_broken, command: "true", dependencies: [broken]}
                  - {name: needs_needs, command: "true", dependencies: [needs_broken]}
                  - {name: healthy, command: "sleep 0.5"}
                  - {name: needs_healthy, command: "true", dependencies: [healthy]}
                """, Duration.ofSeconds(60));
        assertEquals(RunStatus.FAILED, report.status());
        Map<String, TaskReport> t = byName(report);
        assertEquals(TaskStatus.FAILED, t.get("broken").status());
        assertEquals(2, t.get("broken").attempts());
        assertEquals(4, t.get("broken").exitCode());
        assertEquals("no database\n", t.get("broken").stderrTail());
        assertEquals(TaskStatus.UPSTREAM_FAILED, t.get("needs_broken").status());
        assertEquals(TaskStatus.UPSTREAM_FAILED, t.get("needs_needs").status());
        assertEquals(0, t.get("needs_needs").attempts());
        assertEquals(TaskStatus.SUCCESS, t.get("healthy").status());
        assertEquals(TaskStatus.SUCCESS, t.get("needs_healthy").status());
    }

    @Test
    void timeoutKillsTheTaskAndEverythingItStarted() throws Exception {
        MarkedSleep sleep = new MarkedSleep();
        String runId = cluster.api().submit("""
                name: slow
                tasks:
                  - name: slow
                    command: "%1$s & (%1$s &); %1$s"
                    timeout: 3s
                """.formatted(sleep.command()));
        assertTrue(sleep.awaitRunning(3, Duration.ofSeconds(30)), "the task and its children started");
        RunReport report = cluster.api().awaitEnd(runId, Duration.ofSeconds(60));
        assertEquals(RunStatus.FAILED, report.status());
        TaskReport slow = report.tasks().get(0);
        assertEquals(TaskStatus.TIMED_OUT, slow.status());
        assertTrue(slow.error().contains("timeout"), slow.error());
        assertTrue(slow.durationMs() < 10_000, "killed soon after the 3 s timeout: " + slow.durationMs());
        assertTrue(
                sleep.awaitGone(Duration.ofSeconds(5)), sleep.running() + " processes of the timed-out task still run");
    }

    @Test
    void pythonTaskRunsWithTheResolvedInterpreter() throws Exception {
        RunReport report = run("""
                name: py
                tasks:
                  - name: compute
                    type: python
                    command: |
                      import os, json
                      print(json.dumps({"task": os.environ["DAGCTL_TASK_NAME"], "sum": sum(range(10)), "x": os.environ["X"]}))
                    env: {X: "42"}
                """, Duration.ofSeconds(60));
        assertEquals(RunStatus.SUCCESS, report.status());
        assertEquals(
                "{\"task\": \"compute\", \"sum\": 45, \"x\": \"42\"}\n",
                report.tasks().get(0).stdoutTail());
    }

    @Test
    void twentyMegabytesOfOutputAreKeptAsABoundedTail() throws Exception {
        RunReport report = run("""
                name: loud
                tasks:
                  - name: loud
                    command: "head -c 20000000 /dev/zero | tr '\\\\0' 'y'; echo; echo LAST-LINE; head -c 3000000 /dev/zero | tr '\\\\0' 'e' >&2"
                """, Duration.ofSeconds(120));
        assertEquals(
                RunStatus.SUCCESS,
                report.status(),
                String.valueOf(report.tasks().get(0).error()));
        TaskReport loud = report.tasks().get(0);
        assertEquals(64 * 1024, loud.stdoutTail().length());
        assertTrue(loud.stdoutTail().endsWith("y\nLAST-LINE\n"));
        assertEquals(64 * 1024, loud.stderrTail().length());
    }

    @Test
    void threeHundredParallelTasksNeverRunMoreThanTheSlots() throws Exception {
        StringBuilder yaml = new StringBuilder("name: wide\ntasks:\n");
        for (int i = 0; i < 300; i++) {
            yaml.append("  - {name: t").append(i).append(", command: \"sleep 0.05\"}\n");
        }
        RunReport report = run(yaml.toString(), Duration.ofSeconds(180));
        assertEquals(RunStatus.SUCCESS, report.status());
        List<Instant[]> intervals = report.tasks().stream()
                .map(t -> new Instant[] {t.startedAt(), t.endedAt()})
                .toList();
        int peak = peakConcurrency(intervals);
        assertTrue(peak <= SLOTS, "at most " + SLOTS + " tasks at once, saw " + peak);
        assertTrue(peak >= 2, "tasks ran in parallel (peak " + peak + ")");
    }

    @Test
    void waitingForAFreeSlotCountsInPickupLatencyButNotInSlotHandOff() throws Exception {
        StringBuilder yaml = new StringBuilder("name: two-waves\ntasks:\n");
        int tasks = 2 * SLOTS;
        for (int i = 0; i < tasks; i++) {
            yaml.append("  - {name: t").append(i).append(", command: \"sleep 0.5\"}\n");
        }
        // the worker's first process start pays for class loading; this test times the steady state
        assertEquals(
                RunStatus.SUCCESS,
                run("name: warm-up\ntasks:\n  - {name: t, command: \"true\"}\n", Duration.ofSeconds(60))
                        .status());
        MetricsPage before = MetricsPage.scrape(cluster.workerUrl());
        RunReport report = run(yaml.toString(), Duration.ofSeconds(60));
        assertEquals(RunStatus.SUCCESS, report.status());
        MetricsPage after = MetricsPage.scrape(cluster.workerUrl());
        String pickup = "dagctl_worker_pickup_latency_seconds";
        String handoff = "dagctl_worker_slot_handoff_seconds";
        assertEquals(tasks, after.sum(handoff + "_count") - before.sum(handoff + "_count"), "one hand-off per start");
        double pickupSeconds = after.sum(pickup + "_sum") - before.sum(pickup + "_sum");
        double handoffSeconds = after.sum(handoff + "_sum") - before.sum(handoff + "_sum");
        // the second wave waited about 0.5 s each for a slot: pickup latency counts it, the hand-off does not
        assertTrue(
                pickupSeconds - handoffSeconds >= SLOTS * 0.4,
                "pickup " + pickupSeconds + " s, hand-off " + handoffSeconds + " s in total");
        assertTrue(handoffSeconds / tasks < 0.2, "mean hand-off " + handoffSeconds / tasks + " s");
    }

    /** The largest number of [start, end) intervals that overlap; an end at the same instant as a start comes first. */
    static int peakConcurrency(List<Instant[]> intervals) {
        List<long[]> events = new ArrayList<>();
        for (Instant[] i : intervals) {
            events.add(new long[] {i[0].toEpochMilli() * 1000 + i[0].getNano() / 1000 % 1000, +1});
            events.add(new long[] {i[1].toEpochMilli() * 1000 + i[1].getNano() / 1000 % 1000, -1});
        }
        events.sort(Comparator.<long[]>comparingLong(e -> e[0]).thenComparingLong(e -> e[1]));
        int now = 0;
        int peak = 0;
        for (long[] e : events) {
            now += (int) e[1];
            peak = Math.max(peak, now);
        }
        return peak;
    }

    @Test
    void thousandTaskChainRunsInOrder() throws Exception {
        Path order = sideEffects.resolve("chain-" + UUID.randomUUID());
        StringBuilder yaml = new StringBuilder("name: chain\ntasks:\n");
        for (int i = 0; i < 1000; i++) {
            yaml.append("  - {name: c")
                    .append(i)
                    .append(", command: 'echo $DAGCTL_TASK_NAME >> ")
                    .append(order)
                    .append("'")
                    .append(i > 0 ? ", dependencies: [c" + (i - 1) + "]" : "")
                    .append("}\n");
        }
        long started = System.nanoTime();
        RunReport report = run(yaml.toString(), Duration.ofMinutes(5));
        long wallMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(RunStatus.SUCCESS, report.status());
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            expected.add("c" + i);
        }
        assertEquals(expected, Files.readAllLines(order));
        for (int i = 1; i < 1000; i++) {
            TaskReport previous = report.tasks().get(i - 1);
            TaskReport current = report.tasks().get(i);
            assertTrue(
                    !current.startedAt().isBefore(previous.endedAt()),
                    current.name() + " started before " + previous.name() + " ended");
        }
        System.out.printf("1000-task chain: %d ms wall, %d ms run%n", wallMs, report.durationMs());
    }

    @Test
    void invalidDagIsRefusedWithEveryProblemAndNothingRuns() throws Exception {
        CoordinatorApi.Answer answer = cluster.api().post("""
                name: bad
                tasks:
                  - {name: a, command: "true", dependencies: [a]}
                  - {name: b, comand: "true"}
                """, "application/yaml");
        assertEquals(400, answer.status());
        assertEquals("Invalid DAG", answer.body().get("title").asText());
        assertEquals(3, answer.body().get("errors").size(), answer.body().toString());
        JsonNode cycle = null;
        for (JsonNode error : answer.body().get("errors")) {
            if (error.get("message").asText().contains("depends on itself")) {
                cycle = error;
            }
        }
        assertNotNull(cycle, answer.body().toString());
        assertEquals("a", cycle.get("task").asText());
        assertEquals("dependencies", cycle.get("field").asText());
        assertEquals(3, cycle.get("line").asInt());
    }

    @Test
    void jsonBodyIsAcceptedAndUnknownRunIs404() throws Exception {
        CoordinatorApi.Answer answer = cluster.api()
                .post(
                        "{\"name\": \"j\", \"tasks\": [{\"name\": \"only\", \"command\": \"echo json\"}]}",
                        "application/json");
        assertEquals(202, answer.status());
        RunReport report = cluster.api().awaitEnd(answer.body().get("run_id").asText(), Duration.ofSeconds(60));
        assertEquals(RunStatus.SUCCESS, report.status());
        assertNull(report.tasks().get(0).error());
        assertEquals(404, cluster.api().get("no-such-run").status());
    }

    @Test
    void hostileRecordsGoToTheDeadLetterTopicAndWorkGoesOn() throws Exception {
        var props = Map.<String, Object>of(
                "bootstrap.servers", cluster.bootstrapServers(), "max.request.size", 8 * 1024 * 1024);
        // a DAG too large to store, written straight to Kafka, past the API's checks
        DagSpec huge = new DagSpec(
                "huge",
                List.of(new TaskSpec(
                        "a",
                        TaskType.BASH,
                        "echo " + "x".repeat(3 * 1024 * 1024),
                        List.of(),
                        0,
                        TaskSpec.DEFAULT_TIMEOUT,
                        TaskSpec.DEFAULT_RETRY_DELAY,
                        TaskSpec.DEFAULT_MAX_RETRY_DELAY,
                        Map.of())));
        try (var producer =
                new KafkaProducer<String, byte[]>(props, new StringSerializer(), new ByteArraySerializer())) {
            producer.send(new ProducerRecord<>(Topics.defaults().results(), "poison-run", "{not json".getBytes()))
                    .get();
            producer.send(new ProducerRecord<>(
                            Topics.defaults().dispatch(), "poison-attempt", "{\"v\":1,\"type\":\"cobol\"}".getBytes()))
                    .get();
            producer.send(new ProducerRecord<>(
                            Topics.defaults().commands(),
                            "too-large",
                            Events.toJson(RunSubmitted.of("too-large", huge, Instant.now()))))
                    .get();
        }
        RunReport after =
                run("name: after_poison\ntasks:\n  - {name: fine, command: 'true'}\n", Duration.ofSeconds(60));
        assertEquals(RunStatus.SUCCESS, after.status(), "processing goes on");
        RunReport tooLarge = cluster.api()
                .awaitReport(
                        "too-large", Duration.ofSeconds(30), r -> r.status().isTerminal(), "fail");
        assertEquals(RunStatus.FAILED, tooLarge.status());
        assertTrue(tooLarge.error().contains("the limit is 2 MiB"), tooLarge.error());
        assertTrue(cluster.coordinatorIsReady(), "the coordinator still runs: no restart loop");
        Map<String, String> reasons = new HashMap<>();
        try (var consumer = new KafkaConsumer<String, byte[]>(
                Map.of(
                        "bootstrap.servers",
                        cluster.bootstrapServers(),
                        "group.id",
                        "dlq-check-" + UUID.randomUUID(),
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.defaults().dlq()));
            await("three dead letters").atMost(Duration.ofSeconds(30)).until(() -> {
                for (var record : consumer.poll(Duration.ofMillis(300))) {
                    reasons.put(
                            record.key(),
                            new String(
                                    record.headers()
                                            .lastHeader(WireHeaders.DLQ_REASON)
                                            .value(),
                                    StandardCharsets.UTF_8));
                }
                return reasons.size() >= 3;
            });
        }
        assertTrue(reasons.getOrDefault("poison-run", "").contains("not a valid WorkerEvent"), reasons.toString());
        assertTrue(
                reasons.containsKey("poison-attempt"), "the worker dead-letters a dispatch it cannot read: " + reasons);
        assertTrue(reasons.getOrDefault("too-large", "").startsWith("not applied:"), reasons.toString());
    }

    @Test
    void whatATaskLeavesRunningEndsWithTheTask() throws Exception {
        MarkedSleep leftBehind = new MarkedSleep();
        RunReport report = run(
                "name: leftovers\ntasks:\n  - {name: t, command: '" + leftBehind.command() + " & echo started'}\n",
                Duration.ofSeconds(60));
        assertEquals(RunStatus.SUCCESS, report.status());
        assertEquals("started\n", byName(report).get("t").stdoutTail());
        assertTrue(
                leftBehind.awaitGone(Duration.ofSeconds(10)),
                "the background sleep outlived its task: " + leftBehind.running());
    }

    /** On a failed test, print the end of the services' logs. */
    static final class DumpLogsOnFailure implements TestWatcher {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (cluster != null) {
                System.err.println(cluster.diagnostics());
            }
        }
    }
}
