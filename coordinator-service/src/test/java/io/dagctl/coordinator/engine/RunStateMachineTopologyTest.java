package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.coordinator.timer.TimerKind;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.event.TaskCancelRequested;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.event.TaskHeartbeat;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.event.TaskStarted;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** The state machine through the real topology, driven record by record with a hand-moved clock. */
class RunStateMachineTopologyTest extends TopologyTestBase {

    static final String DIAMOND = """
            name: diamond
            tasks:
              - {name: a, command: "true"}
              - {name: b, command: "true", dependencies: [a]}
              - {name: c, command: "true", dependencies: [a]}
              - {name: d, command: "true", dependencies: [b, c]}
            """;

    @Test
    void diamondRunsInDependencyOrder() throws Exception {
        submit("r1", DIAMOND);
        List<TaskDispatched> first = dispatched();
        assertEquals(
                List.of("r1/a/1"), first.stream().map(TaskDispatched::attemptId).toList());
        assertEquals(RunStatus.RUNNING, run("r1").status());
        succeed(first.get(0));
        List<TaskDispatched> middle = dispatched();
        assertEquals(
                List.of("b", "c"), middle.stream().map(TaskDispatched::task).toList());
        succeed(middle.get(0));
        assertTrue(dispatched().isEmpty(), "d must wait for c");
        succeed(middle.get(1));
        List<TaskDispatched> last = dispatched();
        assertEquals(List.of("d"), last.stream().map(TaskDispatched::task).toList());
        succeed(last.get(0));
        assertEquals(RunStatus.SUCCESS, run("r1").status());
        assertNotNull(run("r1").endedAt());
    }

    @Test
    void failedTaskIsRetriedWithGrowingBackoff() throws Exception {
        submit("r2", """
                name: flaky
                tasks:
                  - {name: f, command: "false", max_retries: 3, retry_delay: 1s}
                """);
        fail(dispatched().get(0));
        assertEquals(TaskStatus.RETRYING, task("r2", "f").status());
        advance(Duration.ofMillis(850));
        assertTrue(dispatched().isEmpty(), "the first retry waits about 1 s (±10 %)");
        advance(Duration.ofMillis(400));
        List<TaskDispatched> second = dispatched();
        assertEquals(
                List.of("r2/f/2"),
                second.stream().map(TaskDispatched::attemptId).toList());
        fail(second.get(0));
        advance(Duration.ofMillis(1700));
        assertTrue(dispatched().isEmpty(), "the second retry waits about 2 s");
        advance(Duration.ofMillis(600));
        List<TaskDispatched> third = dispatched();
        assertEquals(
                List.of("r2/f/3"), third.stream().map(TaskDispatched::attemptId).toList());
        succeed(third.get(0));
        assertEquals(TaskStatus.SUCCESS, task("r2", "f").status());
        assertEquals(3, task("r2", "f").attempt());
        assertEquals(RunStatus.SUCCESS, run("r2").status());
    }

    @Test
    void permanentFailureBlocksDependentsButNotIndependentBranches() throws Exception {
        submit("r3", """
                name: partial
                tasks:
                  - {name: bad, command: "false"}
                  - {name: after_bad, command: "true", dependencies: [bad]}
                  - {name: after_after, command: "true", dependencies: [after_bad]}
                  - {name: good, command: "true"}
                  - {name: after_good, command: "true", dependencies: [good]}
                """);
        List<TaskDispatched> roots = dispatched();
        assertEquals(
                List.of("bad", "good"), roots.stream().map(TaskDispatched::task).toList());
        fail(roots.get(0));
        assertEquals(TaskStatus.FAILED, task("r3", "bad").status());
        assertEquals(TaskStatus.UPSTREAM_FAILED, task("r3", "after_bad").status());
        assertEquals(TaskStatus.UPSTREAM_FAILED, task("r3", "after_after").status());
        assertEquals(RunStatus.RUNNING, run("r3").status(), "the independent branch is still running");
        succeed(roots.get(1));
        succeed(dispatched().get(0));
        assertEquals(TaskStatus.SUCCESS, task("r3", "after_good").status());
        assertEquals(RunStatus.FAILED, run("r3").status());
        assertEquals(3, run("r3").failedTasks());
    }

    @Test
    void silentAttemptIsLostAndRedispatchedWithoutUsingARetry() throws Exception {
        submit("r4", "name: l\ntasks:\n  - {name: t, command: 'sleep 100'}\n");
        TaskDispatched first = dispatched().get(0);
        report("r4", TaskStarted.of(first.attemptId(), "w1", clock.instant()));
        advance(Duration.ofSeconds(6));
        report("r4", TaskHeartbeat.of(first.attemptId(), "w1", clock.instant()));
        advance(Duration.ofSeconds(6));
        assertTrue(dispatched().isEmpty(), "a heartbeat extends the lease");
        advance(Duration.ofSeconds(5));
        List<TaskDispatched> again = dispatched();
        assertEquals(
                List.of("r4/t/2"), again.stream().map(TaskDispatched::attemptId).toList());
        assertEquals(1, count("dagctl.attempts.lost", "reason", "heartbeat"));
        // the old worker comes back: its reports are zombies and change nothing
        report(
                "r4",
                TaskFinished.of(
                        first.attemptId(), "w1", 0, Outcome.SUCCEEDED, "", "", clock.instant(), clock.instant(), null));
        assertEquals(1, count("dagctl.zombie.reports"));
        assertEquals(TaskStatus.QUEUED, task("r4", "t").status());
        succeed(again.get(0));
        assertEquals(RunStatus.SUCCESS, run("r4").status());
    }

    @Test
    void aLeaseIsNotJudgedWhileThePartitionsResultsArriveLate() throws Exception {
        submit("lag", "name: l\ntasks:\n  - {name: t, command: 'sleep 100'}\n");
        TaskDispatched first = dispatched().get(0);
        Instant started = clock.instant();
        report("lag", TaskStarted.of(first.attemptId(), "w1", started));
        advance(Duration.ofMillis(9_800));
        // a backlog: a record written 5 s ago is only processed now
        results.pipeInput(
                "lag",
                Events.toJson(TaskHeartbeat.of("lag/other/1", "w9", clock.instant())),
                clock.instant().minusSeconds(5));
        advance(Duration.ofMillis(400)); // the lease (10 s) has passed, but the partition is 5 s behind
        assertTrue(dispatched().isEmpty(), "the heartbeat that keeps the lease may be waiting in the backlog");
        assertEquals(TaskStatus.RUNNING, task("lag", "t").status());
        // here it comes, sent before the lease ran out
        results.pipeInput(
                "lag",
                Events.toJson(TaskHeartbeat.of(first.attemptId(), "w1", started.plusMillis(9_500))),
                started.plusMillis(9_500));
        advance(Duration.ofSeconds(6));
        assertTrue(dispatched().isEmpty());
        assertEquals(0, count("dagctl.attempts.lost", "reason", "heartbeat"));
        advance(Duration.ofSeconds(6)); // no heartbeat since, and no backlog: now it is lost
        assertEquals(
                List.of("lag/t/2"),
                dispatched().stream().map(TaskDispatched::attemptId).toList());
    }

    @Test
    void aPartitionThatSeemsFarBehindDelaysALostAttemptByOneLeaseAtMost() throws Exception {
        submit("skew", "name: s\ntasks:\n  - {name: t, command: 'sleep 100'}\n");
        TaskDispatched first = dispatched().get(0);
        report("skew", TaskStarted.of(first.attemptId(), "w1", clock.instant()));
        // another worker's clock is 10 minutes behind: every record it writes looks 10 minutes late
        for (int second = 0; second < 21; second++) {
            results.pipeInput(
                    "skew",
                    Events.toJson(TaskHeartbeat.of("skew/other/1", "w9", clock.instant())),
                    clock.instant().minus(Duration.ofMinutes(10)));
            advance(Duration.ofSeconds(1));
        }
        assertEquals(
                List.of("skew/t/2"),
                dispatched().stream().map(TaskDispatched::attemptId).toList(),
                "lost after its lease (10 s) and one more at most, not after 10 minutes");
    }

    @Test
    void anAttemptAWorkerCouldNotStartUsesNoRetryAndTheTaskFailsAfterThreeInARow() throws Exception {
        submit("ns", "name: ns\ntasks:\n  - {name: t, command: 'true', max_retries: 5, retry_delay: 1s}\n");
        for (int attempt = 1; attempt <= 3; attempt++) {
            List<TaskDispatched> d = dispatched();
            assertEquals(
                    List.of("ns/t/" + attempt),
                    d.stream().map(TaskDispatched::attemptId).toList());
            report(
                    "ns",
                    TaskFinished.of(
                            d.get(0).attemptId(),
                            "broken-worker",
                            -1,
                            Outcome.NOT_STARTED,
                            "",
                            "",
                            clock.instant(),
                            clock.instant(),
                            "python3 was not found on PATH"));
            advance(Duration.ofSeconds(5));
        }
        TaskEntry t = task("ns", "t");
        assertEquals(TaskStatus.FAILED, t.status());
        assertEquals("python3 was not found on PATH", t.current().error());
        assertEquals(3, count("dagctl.attempts.lost", "reason", "not_started"));
        assertEquals(RunStatus.FAILED, run("ns").status());
        assertTrue(dispatched().isEmpty(), "five retries were left, and none was used");
    }

    @Test
    void anAttemptThatRanCountsAsStartedEvenWhenOnlyItsResultWasReported() throws Exception {
        submit("ns2", "name: ns2\ntasks:\n  - {name: t, command: 'true', max_retries: 5, retry_delay: 1s}\n");
        Outcome[] outcomes = {Outcome.NOT_STARTED, Outcome.NOT_STARTED, Outcome.FAILED, Outcome.NOT_STARTED};
        for (Outcome outcome : outcomes) {
            String attempt = dispatched().get(0).attemptId();
            report(
                    "ns2",
                    TaskFinished.of(attempt, "w1", -1, outcome, "", "", clock.instant(), clock.instant(), "no luck"));
            advance(Duration.ofSeconds(30));
        }
        assertEquals(
                TaskStatus.QUEUED,
                task("ns2", "t").status(),
                "the failed attempt ran, so two not started in a row before it and one after do not end the task");
    }

    @Test
    void anAttemptReleasedByAWorkerThatShutsDownIsDispatchedAgainAtOnceWithoutARetry() throws Exception {
        submit("rel", "name: rel\ntasks:\n  - {name: t, command: 'sleep 100'}\n");
        TaskDispatched first = dispatched().get(0);
        report("rel", TaskStarted.of(first.attemptId(), "w1", clock.instant()));
        report(
                "rel",
                TaskFinished.of(
                        first.attemptId(),
                        "w1",
                        -1,
                        Outcome.RELEASED,
                        "",
                        "",
                        clock.instant(),
                        clock.instant(),
                        "worker w1 shut down"));
        assertEquals(
                List.of("rel/t/2"),
                dispatched().stream().map(TaskDispatched::attemptId).toList());
        assertEquals(1, count("dagctl.attempts.lost", "reason", "released"));
        assertEquals(0, count("dagctl.task.retries"));
    }

    @Test
    void workerThatNeverReportsPastTheTimeoutEndsTimedOut() throws Exception {
        submit("r5", "name: t\ntasks:\n  - {name: t, command: 'sleep 100', timeout: 2s}\n");
        TaskDispatched d = dispatched().get(0);
        report("r5", TaskStarted.of(d.attemptId(), "w1", clock.instant()));
        for (int i = 0; i < 40; i++) {
            advance(Duration.ofSeconds(1));
            report("r5", TaskHeartbeat.of(d.attemptId(), "w1", clock.instant()));
        }
        assertEquals(TaskStatus.TIMED_OUT, task("r5", "t").status());
        assertEquals(RunStatus.FAILED, run("r5").status());
    }

    @Test
    void aStartedAttemptHasOneTimerForItsLeaseAndItsTimeout() throws Exception {
        submit("r5b", "name: t\ntasks:\n  - {name: t, command: 'sleep 100', timeout: 2s}\n");
        TaskDispatched d = dispatched().get(0);
        report("r5b", TaskStarted.of(d.attemptId(), "w1", clock.instant()));
        List<TimerKind> kinds = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all =
                driver.<String, byte[]>getKeyValueStore(StoreNames.TIMERS).all()) {
            all.forEachRemaining(kv -> kinds.add(Timer.parse(kv.key).kind()));
        }
        assertEquals(
                List.of(TimerKind.START, TimerKind.LEASE),
                kinds.stream().sorted().toList(),
                "the start deadline of the dispatch, and one timer for lease and timeout");
    }

    @Test
    void aShortAttemptReportedByItsResultAloneEndsWithoutALeaseTimerAndWithItsStart() throws Exception {
        // a worker holds a start report back for its start-report delay: an attempt that ended sooner sends only this
        submit(
                "r5s",
                "name: t\ntasks:\n  - {name: a, command: 'true', max_retries: 1}\n  - {name: b, command: 'true', dependencies: [a]}\n");
        TaskDispatched a = dispatched().get(0);
        Instant startedAt = clock.instant().plusMillis(3);
        report("r5s", TaskFinished.of(a.attemptId(), "w1", 1, Outcome.FAILED, "", "boom", startedAt, startedAt, null));
        assertEquals(TaskStatus.RETRYING, task("r5s", "a").status(), "a failure from QUEUED uses a retry");
        advance(Duration.ofMinutes(5));
        TaskDispatched again = dispatched().get(0);
        assertEquals("r5s/a/2", again.attemptId());
        report(
                "r5s",
                TaskFinished.of(again.attemptId(), "w2", 0, Outcome.SUCCEEDED, "", "", startedAt, startedAt, null));

        TaskEntry done = task("r5s", "a");
        assertEquals(TaskStatus.SUCCESS, done.status());
        assertEquals(startedAt, done.toReport().startedAt(), "the start comes from the result");
        assertEquals("w2", done.toReport().workerId());
        assertEquals(
                List.of("b"), dispatched().stream().map(TaskDispatched::task).toList());
        List<TimerKind> kinds = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> all =
                driver.<String, byte[]>getKeyValueStore(StoreNames.TIMERS).all()) {
            all.forEachRemaining(kv -> kinds.add(Timer.parse(kv.key).kind()));
        }
        assertFalse(kinds.contains(TimerKind.LEASE), "no start, no lease: " + kinds);
    }

    @Test
    void aTimeoutTimerWrittenByAnEarlierVersionStillEndsTheAttempt() throws Exception {
        submit("r5c", "name: t\ntasks:\n  - {name: t, command: 'sleep 100', timeout: 2s}\n");
        TaskDispatched d = dispatched().get(0);
        report("r5c", TaskStarted.of(d.attemptId(), "w1", clock.instant()));
        driver.<String, byte[]>getKeyValueStore(StoreNames.TIMERS)
                .put(
                        Timer.of(clock.instant().plusSeconds(3), TimerKind.TIMEOUT, AttemptId.parse(d.attemptId()))
                                .key(),
                        new byte[0]);
        advance(Duration.ofSeconds(4));
        assertEquals(TaskStatus.TIMED_OUT, task("r5c", "t").status());
    }

    @Test
    void cancelEndsEveryUnfinishedTask() throws Exception {
        submit("r6", DIAMOND);
        TaskDispatched a = dispatched().get(0);
        commands.pipeInput("r6", Events.toJson(RunCancelRequested.of("r6", clock.instant(), "user")));
        assertEquals(RunStatus.CANCELLED, run("r6").status());
        assertEquals(TaskStatus.CANCELLED, task("r6", "d").status());
        succeed(a);
        assertEquals(TaskStatus.CANCELLED, task("r6", "a").status(), "reports after a cancel are dropped");
    }

    @Test
    void duplicateSubmissionIsIgnored() throws Exception {
        submit("r7", DIAMOND);
        submit("r7", DIAMOND);
        assertEquals(1, dispatched().size());
        assertEquals(1, count("dagctl.runs.started"));
    }

    @Test
    void unreadableRecordGoesToTheDeadLetterTopicAndProcessingContinues() throws Exception {
        results.pipeInput("r8", "{not json".getBytes(StandardCharsets.UTF_8));
        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertEquals("r8", dead.key());
        String reason =
                new String(dead.headers().lastHeader(WireHeaders.DLQ_REASON).value(), StandardCharsets.UTF_8);
        assertTrue(reason.contains("not a valid WorkerEvent"), reason);
        submit("r8", DIAMOND);
        assertEquals(1, dispatched().size());
    }

    private List<String> eventLines() {
        return events.readValuesToList().stream()
                .map(v -> Events.fromJson(v, RunEvent.class))
                .map(e -> (e.task() == null ? "run" : e.task() + "#" + e.attempt()) + " " + e.status())
                .toList();
    }

    @Test
    void everyStateChangeIsAnEventInOrder() throws Exception {
        submit(
                "e1",
                "name: e\ntasks:\n  - {name: a, command: 'true'}\n  - {name: b, command: 'true', dependencies: [a]}\n");
        List<TaskDispatched> a = dispatched();
        succeed(a.get(0));
        succeed(dispatched().get(0));
        assertEquals(
                List.of(
                        "run RUNNING",
                        "a#1 QUEUED",
                        "a#1 RUNNING",
                        "a#1 SUCCESS",
                        "b#1 QUEUED",
                        "b#1 RUNNING",
                        "b#1 SUCCESS",
                        "run SUCCESS"),
                eventLines());
    }

    @Test
    void cancelTellsTheWorkersToStopRunningAttempts() throws Exception {
        submit("c1", DIAMOND);
        TaskDispatched a = dispatched().get(0);
        report("c1", TaskStarted.of(a.attemptId(), "w1", clock.instant()));
        events.readValuesToList();
        commands.pipeInput("c1", Events.toJson(RunCancelRequested.of("c1", clock.instant(), "by test")));
        List<TaskCancelRequested> cancels = control.readValuesToList().stream()
                .map(v -> Events.fromJson(v, TaskCancelRequested.class))
                .toList();
        assertEquals(
                List.of("c1/a/1"),
                cancels.stream().map(TaskCancelRequested::attemptId).toList());
        assertEquals(
                List.of(
                        "run CANCELLING",
                        "a#1 CANCELLED",
                        "b#0 CANCELLED",
                        "c#0 CANCELLED",
                        "d#0 CANCELLED",
                        "run CANCELLED"),
                eventLines());
        assertNotNull(run("c1").endedAt());
    }

    @Test
    void retryRunsTheFailedPartOfAFinishedRunAgain() throws Exception {
        submit("t1", """
                name: partial
                tasks:
                  - {name: ok, command: "true"}
                  - {name: bad, command: "false"}
                  - {name: after, command: "true", dependencies: [bad, ok]}
                """);
        List<TaskDispatched> roots = dispatched();
        succeed(roots.get(0));
        fail(roots.get(1));
        assertEquals(RunStatus.FAILED, run("t1").status());
        commands.pipeInput("t1", Events.toJson(TaskRetryRequested.of("t1", clock.instant())));
        assertEquals(RunStatus.RUNNING, run("t1").status());
        List<TaskDispatched> again = dispatched();
        assertEquals(
                List.of("t1/bad/2"),
                again.stream().map(TaskDispatched::attemptId).toList(),
                "only the failed task runs again, with a new attempt number; 'ok' stays done");
        assertEquals(TaskStatus.PENDING, task("t1", "after").status());
        succeed(again.get(0));
        List<TaskDispatched> after = dispatched();
        assertEquals(
                List.of("t1/after/1"),
                after.stream().map(TaskDispatched::attemptId).toList());
        succeed(after.get(0));
        assertEquals(RunStatus.SUCCESS, run("t1").status());
        assertEquals(0, run("t1").failedTasks());
        assertEquals(TaskStatus.SUCCESS, task("t1", "ok").status());
        assertEquals(1, task("t1", "ok").attempt());
    }

    @Test
    void retryOfARunningOrSuccessfulRunChangesNothing() throws Exception {
        submit("t2", DIAMOND);
        dispatched();
        commands.pipeInput("t2", Events.toJson(TaskRetryRequested.of("t2", clock.instant())));
        assertTrue(dispatched().isEmpty());
        assertEquals(RunStatus.RUNNING, run("t2").status());
    }

    private List<String> controlAttempts() {
        return control.readValuesToList().stream()
                .map(v -> Events.fromJson(v, TaskCancelRequested.class))
                .map(TaskCancelRequested::attemptId)
                .toList();
    }

    @Test
    void lostAttemptIsStoppedOnItsWorkerAndZombieHeartbeatsAreAnsweredWithAStop() throws Exception {
        submit("z1", "name: z\ntasks:\n  - {name: t, command: 'sleep 100'}\n");
        TaskDispatched first = dispatched().get(0);
        report("z1", TaskStarted.of(first.attemptId(), "w1", clock.instant()));
        advance(Duration.ofSeconds(11));
        assertEquals(
                List.of("z1/t/2"),
                dispatched().stream().map(TaskDispatched::attemptId).toList());
        assertEquals(List.of("z1/t/1"), controlAttempts(), "the lost attempt's worker is told to stop it");
        report("z1", TaskHeartbeat.of(first.attemptId(), "w1", clock.instant()));
        assertEquals(List.of("z1/t/1"), controlAttempts(), "a zombie heartbeat is answered with a stop");
        assertEquals(1, count("dagctl.zombie.reports"));
    }

    @Test
    void attemptNotStartedByItsDeadlineIsQueuedAgainAndWorkersSkipTheOldRecord() throws Exception {
        submit("s1", "name: s\ntasks:\n  - {name: t, command: 'true'}\n");
        TaskDispatched first = dispatched().get(0);
        assertEquals(START.plus(Duration.ofHours(1)), first.startBy());
        assertTrue(first.isStale(START.plus(Duration.ofHours(1)).plusMillis(1)));
        advance(Duration.ofMinutes(59));
        assertTrue(dispatched().isEmpty(), "waiting in a backlog is normal");
        advance(Duration.ofMinutes(1).plusSeconds(2));
        List<TaskDispatched> again = dispatched();
        assertEquals(
                List.of("s1/t/2"), again.stream().map(TaskDispatched::attemptId).toList());
        assertEquals(List.of("s1/t/1"), controlAttempts());
        succeed(again.get(0));
        assertEquals(RunStatus.SUCCESS, run("s1").status());
    }

    @Test
    void redeliveredAttemptRunningOnAnotherWorkerIsFollowed() throws Exception {
        submit("m1", "name: m\ntasks:\n  - {name: t, command: 'sleep 5'}\n");
        TaskDispatched d = dispatched().get(0);
        report("m1", TaskStarted.of(d.attemptId(), "w1", clock.instant()));
        advance(Duration.ofSeconds(7));
        report("m1", TaskStarted.of(d.attemptId(), "w2", clock.instant()));
        advance(Duration.ofSeconds(7));
        assertTrue(dispatched().isEmpty(), "w2's start renewed the lease");
        assertEquals("w2", task("m1", "t").toReport().workerId());
        report(
                "m1",
                TaskFinished.of(
                        d.attemptId(), "w2", 0, Outcome.SUCCEEDED, "", "", clock.instant(), clock.instant(), null));
        assertEquals(RunStatus.SUCCESS, run("m1").status());
        assertEquals(0, count("dagctl.zombie.reports"));
    }

    @Test
    void aRetryNamingOneTaskIsRefusedToTheDeadLetterTopicAndChangesNothing() throws Exception {
        submit("n1", "name: one\ntasks:\n  - {name: a, command: 'false'}\n");
        fail(dispatched().get(0));
        assertEquals(RunStatus.FAILED, run("n1").status());
        commands.pipeInput(
                "n1",
                ("{\"v\":1,\"event\":\"TaskRetryRequested\",\"run_id\":\"n1\",\"task\":\"a\","
                                + "\"requested_at\":\"2026-11-26T12:00:00Z\"}")
                        .getBytes(StandardCharsets.UTF_8));
        TestRecord<String, byte[]> dead = dlq.readRecord();
        assertTrue(new String(dead.headers().lastHeader(WireHeaders.DLQ_REASON).value(), StandardCharsets.UTF_8)
                .contains("retrying one task ('a') is not supported"));
        assertTrue(dispatched().isEmpty());
        assertEquals(RunStatus.FAILED, run("n1").status());
        assertEquals(null, run("n1").error(), "a refused command leaves the run as it was");
    }
}
