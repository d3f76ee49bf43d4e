package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.event.TaskCancelRequested;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.event.TaskStarted;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Every operation is bounded per transaction (batches of 3 here): the dispatch of many roots, a cancel, a retry, a
 * cascade of failures and the due timers all go on batch by batch, one per timer tick, and other runs keep moving.
 */
class BoundedWorkTopologyTest extends TopologyTestBase {

    private static final Duration TICK = Duration.ofMillis(100);

    @Override
    protected CoordinatorConfig config(Path stateDir) {
        return super.config(stateDir).withLimits(new CoordinatorConfig.Limits(3, 3));
    }

    private static String flat(int width, String command) {
        StringBuilder yaml = new StringBuilder("name: flat\ntasks:\n");
        for (int i = 0; i < width; i++) {
            yaml.append("  - {name: t")
                    .append(i)
                    .append(", command: \"")
                    .append(command)
                    .append("\"}\n");
        }
        return yaml.toString();
    }

    private static List<String> names(List<TaskDispatched> dispatched) {
        return dispatched.stream().map(TaskDispatched::task).toList();
    }

    /** Advances tick by tick until nothing more is dispatched; everything that was. */
    private List<TaskDispatched> drainDispatches(int ticks) {
        List<TaskDispatched> all = new ArrayList<>(dispatched());
        for (int i = 0; i < ticks; i++) {
            advance(TICK);
            all.addAll(dispatched());
        }
        return all;
    }

    @Test
    void manyRootsAreDispatchedInBatchesEachOnce() throws Exception {
        submit("f1", flat(8, "true"));
        assertEquals(List.of("t0", "t1", "t2"), names(dispatched()), "the first batch goes with the submission");
        assertEquals(TaskStatus.PENDING, task("f1", "t3").status());
        List<TaskDispatched> rest = drainDispatches(5);
        assertEquals(Set.of("t3", "t4", "t5", "t6", "t7"), new HashSet<>(names(rest)));
        assertEquals(5, rest.size(), "none twice");
        assertEquals(null, run("f1").sweep(), "the sweep ended");
    }

    @Test
    void aMappedTaskCreatesItsInstancesInBatchesAndAnotherRunMovesBetweenThem() throws Exception {
        submit("m1", """
                name: map
                tasks:
                  - {name: each, for_each: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], command: "true"}
                  - {name: after, dependencies: [each], command: "echo {{ tasks.each.outputs.n.size() }}"}
                """);
        List<TaskDispatched> first = dispatched();
        assertEquals(List.of("each[0]", "each[1]"), names(first), "the start and two instances fill the first batch");
        submit("other", flat(1, "true"));
        List<TaskDispatched> otherRun = dispatched();
        assertEquals(List.of("t0"), names(otherRun), "another run is not held up by the expansion");
        List<TaskDispatched> rest = drainDispatches(5);
        List<TaskDispatched> all = new ArrayList<>(first);
        all.addAll(rest);
        assertEquals(10, all.size(), "every instance once: " + names(all));
        assertEquals(10, new HashSet<>(names(all)).size());
        for (TaskDispatched d : all) {
            succeed(d, java.util.Map.of("n", 1));
        }
        List<TaskDispatched> after = drainDispatches(5);
        assertEquals(List.of("after"), names(after));
        assertEquals("echo 10", after.get(0).command());
        assertEquals(TaskStatus.SUCCESS, task("m1", "each").status());
        assertEquals(12, run("m1").taskCount());
    }

    @Test
    void anInstanceThatEndsWhileItsMappedTaskIsCancelledIsCountedByTheRetry() throws Exception {
        submit("m2", """
                name: map
                tasks:
                  - {name: each, for_each: [0, 1, 2, 3, 4, 5], command: "sleep 100"}
                  - {name: after, dependencies: [each], command: "true"}
                """);
        List<TaskDispatched> instances = drainDispatches(5);
        assertEquals(6, instances.size());
        commands.pipeInput("m2", Events.toJson(RunCancelRequested.of("m2", clock.instant(), "enough")));
        assertEquals(TaskStatus.CANCELLED, task("m2", "each").status(), "the mapped task is swept first");
        TaskDispatched late = instances.get(5);
        assertEquals(TaskStatus.QUEUED, task("m2", late.task()).status(), "not swept yet");
        report(late.runId(), TaskStarted.of(late.attemptId(), "w1", clock.instant()));
        report(
                late.runId(),
                TaskFinished.of(
                        late.attemptId(), "w1", 0, Outcome.SUCCEEDED, "", "", clock.instant(), clock.instant(), null));
        drainDispatches(5);
        assertEquals(RunStatus.CANCELLED, run("m2").status());
        assertEquals(TaskStatus.SUCCESS, task("m2", late.task()).status());

        commands.pipeInput("m2", Events.toJson(TaskRetryRequested.of("m2", clock.instant())));
        List<TaskDispatched> again = drainDispatches(10);
        assertEquals(5, again.size(), "the five cancelled instances run again: " + names(again));
        for (TaskDispatched d : again) {
            report(d.runId(), TaskStarted.of(d.attemptId(), "w1", clock.instant()));
            report(
                    d.runId(),
                    TaskFinished.of(
                            d.attemptId(), "w1", 0, Outcome.SUCCEEDED, "", "", clock.instant(), clock.instant(), null));
        }
        List<TaskDispatched> after = drainDispatches(5);
        assertEquals(List.of("after"), names(after), "the instance that ended while cancelled was counted");
    }

    @Test
    void aCancelOfManyTasksStopsThemInBatchesAndEndsTheRunOnce() throws Exception {
        submit("c1", flat(8, "sleep 100"));
        List<TaskDispatched> live = drainDispatches(5);
        assertEquals(8, live.size());
        commands.pipeInput("c1", Events.toJson(RunCancelRequested.of("c1", clock.instant(), "enough")));
        assertEquals(RunStatus.CANCELLING, run("c1").status());
        assertEquals(3, control.readValuesToList().size(), "three stops in the first transaction");
        int stops = 3;
        for (int i = 0; i < 5; i++) {
            advance(TICK);
            stops += control.readValuesToList().size();
        }
        assertEquals(8, stops, "every running attempt told to stop, once");
        RunEntry run = run("c1");
        assertEquals(RunStatus.CANCELLED, run.status());
        assertEquals("cancelled: enough", run.error());
        List<String> runEvents = events.readValuesToList().stream()
                .map(v -> Events.fromJson(v, RunEvent.class))
                .filter(e -> e.task() == null)
                .map(RunEvent::status)
                .toList();
        assertEquals(List.of("RUNNING", "CANCELLING", "CANCELLED"), runEvents);
    }

    @Test
    void aResultArrivingWhileTheCancelGoesOnIsStillApplied() throws Exception {
        submit("c2", flat(8, "sleep 100"));
        List<TaskDispatched> live = drainDispatches(5);
        commands.pipeInput("c2", Events.toJson(RunCancelRequested.of("c2", clock.instant(), null)));
        TaskDispatched last =
                live.stream().filter(d -> d.task().equals("t7")).findFirst().orElseThrow();
        succeed(last); // t7 is not reached by the sweep yet
        assertEquals(TaskStatus.SUCCESS, task("c2", "t7").status());
        drainDispatches(5);
        assertEquals(RunStatus.CANCELLED, run("c2").status());
        assertEquals(TaskStatus.SUCCESS, task("c2", "t7").status(), "a task that ended keeps its end");
    }

    @Test
    void aLongCascadeOfFailuresGoesOnByTimerAndEndsTheRun() throws Exception {
        StringBuilder chain = new StringBuilder("name: chain\ntasks:\n  - {name: c0, command: \"false\"}\n");
        for (int i = 1; i < 10; i++) {
            chain.append("  - {name: c")
                    .append(i)
                    .append(", command: \"true\", dependencies: [c")
                    .append(i - 1)
                    .append("]}\n");
        }
        submit("k1", chain.toString());
        fail(dispatched().get(0));
        assertEquals(RunStatus.RUNNING, run("k1").status(), "three of nine upstream failures in the first batch");
        assertEquals(TaskStatus.UPSTREAM_FAILED, task("k1", "c3").status());
        assertEquals(TaskStatus.PENDING, task("k1", "c4").status());
        drainDispatches(5);
        assertEquals(TaskStatus.UPSTREAM_FAILED, task("k1", "c9").status());
        RunEntry run = run("k1");
        assertEquals(RunStatus.FAILED, run.status());
        assertEquals(10, run.failedTasks());
    }

    @Test
    void aRetryOfALargeRunResetsThenDispatchesInBatchesEachOnce() throws Exception {
        submit("r1", flat(8, "false"));
        List<TaskDispatched> first = drainDispatches(5);
        first.forEach(this::fail);
        assertEquals(RunStatus.FAILED, run("r1").status());
        commands.pipeInput("r1", Events.toJson(TaskRetryRequested.of("r1", clock.instant())));
        assertEquals(RunStatus.RUNNING, run("r1").status());
        assertTrue(dispatched().isEmpty(), "nothing runs before every task is reset");
        List<TaskDispatched> again = drainDispatches(8);
        assertEquals(8, again.size());
        assertEquals(8, new HashSet<>(names(again)).size(), "each once");
        assertTrue(again.stream().allMatch(d -> d.attempt() == 2), "attempt numbers go on");
        assertEquals(0, run("r1").failedTasks());
        assertEquals(8, run("r1").unfinishedTasks());
        again.forEach(this::succeed);
        assertEquals(RunStatus.SUCCESS, run("r1").status());
    }

    @Test
    void dueTimersAreFiredAFewPerTickAndNoneIsLost() throws Exception {
        submit("d1", flat(8, "false").replace("command: \"false\"", "command: \"false\", max_retries: 1"));
        List<TaskDispatched> first = drainDispatches(5);
        first.forEach(this::fail); // eight retry timers, due at about the same time
        advance(Duration.ofMillis(1200));
        List<TaskDispatched> retried = new ArrayList<>(dispatched());
        assertTrue(retried.size() <= 3, "at most a batch per tick: " + retried.size());
        retried.addAll(drainDispatches(5));
        assertEquals(8, retried.size());
        assertEquals(8, new HashSet<>(names(retried)).size());
    }

    @Test
    void otherRunsKeepMovingWhileALargeOneGoesOnInBatches() throws Exception {
        submit(
                "small",
                "name: small\ntasks:\n  - {name: a, command: 'true'}\n  - {name: b, command: 'true', dependencies: [a]}\n");
        TaskDispatched a = dispatched().get(0);
        submit("large", flat(30, "sleep 100"));
        dispatched(); // the large run's first batch
        succeed(a); // between two batches of the large run
        List<TaskDispatched> next = dispatched();
        assertEquals(List.of("b"), names(next), "the small run's next task is not held back by the large run");
        assertTrue(run("large").sweep() != null, "the large run is still being dispatched");
    }

    @Test
    void stopsAreOnlyForLiveAttempts() throws Exception {
        submit("s1", flat(5, "sleep 100"));
        drainDispatches(3);
        commands.pipeInput("s1", Events.toJson(RunCancelRequested.of("s1", clock.instant(), null)));
        drainDispatches(3);
        List<String> stopped = control.readValuesToList().stream()
                .map(v -> Events.fromJson(v, TaskCancelRequested.class).attemptId())
                .toList();
        assertEquals(5, new HashSet<>(stopped).size());
    }

    @Test
    void aCancelledRunThatIsRetriedSucceedsWhenEveryTaskDoes() throws Exception {
        submit("cr", flat(2, "sleep 100"));
        List<TaskDispatched> first = dispatched();
        succeed(first.get(0));
        commands.pipeInput("cr", Events.toJson(RunCancelRequested.of("cr", clock.instant(), null)));
        assertEquals(RunStatus.CANCELLED, run("cr").status());
        assertEquals(0, run("cr").failedTasks(), "a cancelled task is not a failed one");
        commands.pipeInput("cr", Events.toJson(TaskRetryRequested.of("cr", clock.instant())));
        List<TaskDispatched> again = drainDispatches(3);
        assertEquals(List.of("t1"), names(again), "what succeeded stays done");
        succeed(again.get(0));
        assertEquals(RunStatus.SUCCESS, run("cr").status());
    }

    @Test
    void aTaskEntryThatCannotBeReadIsPassedOverAndTheCancelStillEndsTheRun() throws Exception {
        submit("bad", flat(8, "sleep 100"));
        List<TaskDispatched> live = drainDispatches(5);
        assertEquals(8, live.size());
        driver.<String, byte[]>getKeyValueStore(StoreNames.TASKS)
                .put(StoreNames.taskKey("bad", "t4"), "{not json".getBytes(StandardCharsets.UTF_8));
        commands.pipeInput("bad", Events.toJson(RunCancelRequested.of("bad", clock.instant(), null)));
        for (int i = 0; i < 20 && !run("bad").status().isTerminal(); i++) {
            advance(TICK);
        }
        RunEntry run = run("bad");
        assertEquals(RunStatus.CANCELLED, run.status(), "the cancel went on past the task it could not stop");
        assertTrue(run.error().contains("task t4 could not be swept"), run.error());
        Set<String> stopped = new HashSet<>();
        control.readValuesToList()
                .forEach(v -> stopped.add(AttemptId.parse(
                                Events.fromJson(v, TaskCancelRequested.class).attemptId())
                        .task()));
        assertEquals(Set.of("t0", "t1", "t2", "t3", "t5", "t6", "t7"), stopped, "every task but the unreadable one");
        assertTrue(dlq.readRecordsToList().size() >= 1, "the sweep step that failed is a dead letter");
        submit("next", flat(1, "true"));
        assertEquals(List.of("t0"), names(dispatched()), "the coordinator goes on");
    }

    @Test
    void aRetryThatCannotResetATaskEndsTheRunInsteadOfWaitingForIt() throws Exception {
        submit("rb", flat(8, "false"));
        drainDispatches(5).forEach(this::fail);
        assertEquals(RunStatus.FAILED, run("rb").status());
        driver.<String, byte[]>getKeyValueStore(StoreNames.TASKS)
                .put(StoreNames.taskKey("rb", "t4"), "{not json".getBytes(StandardCharsets.UTF_8));
        commands.pipeInput("rb", Events.toJson(TaskRetryRequested.of("rb", clock.instant())));
        for (int i = 0; i < 30 && !run("rb").status().isTerminal(); i++) {
            advance(TICK);
        }
        RunEntry run = run("rb");
        assertEquals(RunStatus.FAILED, run.status(), "a run that cannot be reset whole cannot go on");
        assertTrue(run.error().contains("t4"), run.error());
        submit("after", flat(1, "true"));
        assertEquals(
                List.of("t0"),
                names(dispatched().stream()
                        .filter(d -> d.runId().equals("after"))
                        .toList()));
    }
}
