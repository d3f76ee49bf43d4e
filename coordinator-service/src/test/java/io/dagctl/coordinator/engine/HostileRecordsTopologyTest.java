package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.event.TaskStarted;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.model.TaskType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Records written straight to the commands and results topics by something that is not dagctl: none stops the
 * coordinator. Each goes to the dead-letter topic with the reason, what it was about fails where it names something,
 * and the next run goes through as usual.
 */
class HostileRecordsTopologyTest extends TopologyTestBase {

    private static final String NORMAL = "name: normal\ntasks:\n  - {name: a, command: 'true'}\n";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            not JSON                        | commands | r1 | {not json                                                        | not a valid RunCommand
            unknown command                 | commands | r1 | {"v":1,"event":"Explode","run_id":"r1"}                         | not a valid RunCommand
            submission without a DAG        | commands | r1 | {"v":1,"event":"RunSubmitted","run_id":"r1","submitted_at":"2026-11-26T12:00:00Z"} | RunSubmitted without dag
            run id that is not one          | commands | r1 | {"v":1,"event":"RunCancelRequested","run_id":"a/b"}              | run id 'a/b' is not valid
            keyed by another run            | commands | r9 | {"v":1,"event":"RunCancelRequested","run_id":"r1"}               | keyed r9
            retry of one task               | commands | r1 | {"v":1,"event":"TaskRetryRequested","run_id":"r1","task":"a"}    | retrying one task
            start without its time          | results  | r1 | {"v":1,"event":"TaskStarted","attempt_id":"r1/a/1","worker_id":"w"} | TaskStarted without started_at
            result without an outcome       | results  | r1 | {"v":1,"event":"TaskFinished","attempt_id":"r1/a/1","worker_id":"w","ended_at":"2026-11-26T12:00:00Z"} | TaskFinished without outcome
            heartbeat of no attempt         | results  | r1 | {"v":1,"event":"TaskHeartbeat","attempt_id":"garbage","worker_id":"w","at":"2026-11-26T12:00:00Z"} | not an attempt id
            start without a worker          | results  | r1 | {"v":1,"event":"TaskStarted","attempt_id":"r1/a/1","started_at":"2026-11-26T12:00:00Z"} | TaskStarted without worker_id
            report keyed by another run     | results  | r9 | {"v":1,"event":"TaskHeartbeat","attempt_id":"r1/a/1","worker_id":"w","at":"2026-11-26T12:00:00Z"} | keyed r9
            """)
    void anUnreadableRecordGoesToTheDeadLetterTopicAndWorkGoesOn(
            String what, String topic, String key, String json, String reason) throws Exception {
        (topic.equals("commands") ? commands : results).pipeInput(key, json.getBytes(StandardCharsets.UTF_8));
        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertTrue(reasonOf(dead).contains(reason), what + ": " + reasonOf(dead));
        assertEquals(
                "dagctl." + topic,
                new String(
                        dead.headers().lastHeader(WireHeaders.DLQ_SOURCE_TOPIC).value(), StandardCharsets.UTF_8));
        aNormalRunStillSucceeds();
    }

    @Test
    void aDeadLetterOfAHugeRecordWithAHugeKeyAndHeadersStillFitsTheProducersLimit() throws Exception {
        String key = "k".repeat(100_000);
        byte[] value = ("{" + "x".repeat(3 * 1024 * 1024)).getBytes(StandardCharsets.UTF_8);
        RecordHeaders headers = new RecordHeaders();
        for (int i = 0; i < 10; i++) {
            headers.add("h" + i, new byte[10_000]);
        }
        commands.pipeInput(new TestRecord<>(key, value, headers));
        TestRecord<String, byte[]> dead = dlq.readRecord();
        int headerBytes = 0;
        for (Header header : dead.headers()) {
            headerBytes += header.key().length() + header.value().length;
        }
        assertTrue(
                dead.key().length() + dead.value().length + headerBytes <= RecordLimits.MAX_RECORD_BYTES,
                "the dead letter fits: key " + dead.key().length() + ", value " + dead.value().length + ", headers "
                        + headerBytes);
        assertEquals(
                String.valueOf(value.length),
                new String(
                        dead.headers()
                                .lastHeader(WireHeaders.DLQ_ORIGINAL_BYTES)
                                .value(),
                        StandardCharsets.UTF_8));
        assertEquals(null, dead.headers().lastHeader("h0"), "100 KB of original headers are not kept");
        assertTrue(reasonOf(dead).contains("not a valid RunCommand"), reasonOf(dead));
        aNormalRunStillSucceeds();
    }

    @Test
    void aRecordWithoutAValueGoesToTheDeadLetterTopic() throws Exception {
        commands.pipeInput("r1", (byte[]) null);
        assertTrue(reasonOf(dlq.readRecord()).contains("record without a value"));
        aNormalRunStillSucceeds();
    }

    @Test
    void aSubmissionWhoseDagIsNotValidLeavesAFailedRunThatSaysWhy() throws Exception {
        TaskSpec a = task("a", "true", List.of("b"));
        TaskSpec b = task("b", "true", List.of("a"));
        commands.pipeInput(
                "cyc", Events.toJson(RunSubmitted.of("cyc", new DagSpec("cyclic", List.of(a, b)), clock.instant())));
        assertTrue(reasonOf(dlq.readRecord()).contains("dependency cycle"));
        RunEntry run = run("cyc");
        assertEquals(RunStatus.FAILED, run.status());
        assertEquals(0, run.taskCount());
        assertTrue(run.error().contains("dependency cycle: a → b → a"), run.error());
        assertTrue(dispatched().isEmpty());
        aNormalRunStillSucceeds();
    }

    @Test
    void aSubmissionTooLargeToStoreLeavesAFailedRunInsteadOfStoppingTheCoordinator() throws Exception {
        String huge = "echo " + "x".repeat(3 * 1024 * 1024);
        commands.pipeInput(
                "big",
                Events.toJson(RunSubmitted.of(
                        "big", new DagSpec("big", List.of(task("a", huge, List.of()))), clock.instant())));
        assertTrue(reasonOf(dlq.readRecord()).contains("the limit is 2 MiB"));
        assertEquals(RunStatus.FAILED, run("big").status());
        assertTrue(
                run("big").error().contains("the entry of task big/a would be"),
                run("big").error());
        aNormalRunStillSucceeds();
    }

    @Test
    void aResultThatCannotBeStoredFailsItsTaskAndItsDependentsAndTheRunEnds() throws Exception {
        // a command that fits, and a result whose escaped output pushes the task's entry over the record limit
        String command = "echo " + "y".repeat(1_400_000);
        commands.pipeInput(
                "hr",
                Events.toJson(RunSubmitted.of(
                        "hr",
                        new DagSpec("hr", List.of(task("a", command, List.of()), task("b", "true", List.of("a")))),
                        clock.instant())));
        TaskDispatched d = dispatched().get(0);
        report("hr", TaskStarted.of(d.attemptId(), "w1", clock.instant()));
        String controlCharacters = "\u0001".repeat(60_000);
        report(
                "hr",
                TaskFinished.of(
                        d.attemptId(),
                        "w1",
                        0,
                        Outcome.SUCCEEDED,
                        controlCharacters,
                        controlCharacters,
                        clock.instant(),
                        clock.instant(),
                        null));
        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertTrue(reasonOf(dead).startsWith("not applied: "), reasonOf(dead));
        TaskEntry a = task("hr", "a");
        assertEquals(TaskStatus.FAILED, a.status());
        assertTrue(a.current().error().contains("limit is 2 MiB"), a.current().error());
        assertEquals(TaskStatus.UPSTREAM_FAILED, task("hr", "b").status());
        assertEquals(RunStatus.FAILED, run("hr").status());
        aNormalRunStillSucceeds();
    }

    @Test
    void aResultWithHugeOutputKeepsOnlyItsBoundedTail() throws Exception {
        submit("tail", NORMAL);
        TaskDispatched d = dispatched().get(0);
        String output = "z".repeat(5 * 1024 * 1024) + "THE END";
        report(
                "tail",
                TaskFinished.of(
                        d.attemptId(),
                        "w1",
                        0,
                        Outcome.SUCCEEDED,
                        output,
                        "",
                        clock.instant(),
                        clock.instant(),
                        "e".repeat(100_000)));
        TaskEntry a = task("tail", "a");
        assertEquals(TaskStatus.SUCCESS, a.status());
        assertEquals(64 * 1024, a.toReport().stdoutTail().length());
        assertTrue(a.toReport().stdoutTail().endsWith("THE END"));
        assertTrue(a.current().error().length() < 5_000);
    }

    @Test
    void aBrokenRecordForAnUnknownRunIsDeadLetteredWithoutInventingTheRun() throws Exception {
        report("ghost", TaskStarted.of("ghost/a/1", "w1", clock.instant()));
        assertEquals(1, count("dagctl.zombie.reports"), "a report of an attempt nobody dispatched is a zombie");
        assertTrue(dlq.isEmpty());
        KeyValueCount runs = new KeyValueCount();
        driver.<String, byte[]>getKeyValueStore(StoreNames.RUNS).all().forEachRemaining(kv -> runs.count++);
        assertEquals(0, runs.count);
    }

    private static final class KeyValueCount {
        int count;
    }

    private void aNormalRunStillSucceeds() throws Exception {
        String runId = "after-" + System.nanoTime();
        submit(runId, NORMAL);
        List<TaskDispatched> first = dispatched();
        assertEquals(1, first.size(), "the next run is dispatched");
        succeed(first.get(0));
        advance(Duration.ofMillis(100));
        assertEquals(RunStatus.SUCCESS, run(runId).status());
    }

    private static String reasonOf(TestRecord<String, byte[]> dead) {
        assertNotNull(dead.headers().lastHeader(WireHeaders.DLQ_REASON));
        return new String(dead.headers().lastHeader(WireHeaders.DLQ_REASON).value(), StandardCharsets.UTF_8);
    }

    private static TaskSpec task(String name, String command, List<String> dependencies) {
        return new TaskSpec(
                name,
                TaskType.BASH,
                command,
                dependencies,
                0,
                TaskSpec.DEFAULT_TIMEOUT,
                TaskSpec.DEFAULT_RETRY_DELAY,
                TaskSpec.DEFAULT_MAX_RETRY_DELAY,
                Map.of());
    }
}
