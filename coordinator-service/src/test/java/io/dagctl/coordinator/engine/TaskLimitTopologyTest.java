package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run's {@code max_active_tasks}: never more tasks queued or running than the limit, held tasks dispatched in
 * declaration order as places free up (by an end, a retry's backoff, a mapped task's instances), nothing held once the
 * run ends, and the count right for a retried run.
 */
class TaskLimitTopologyTest extends TopologyTestBase {

    private static String flat(int width, int limit, String extra) {
        StringBuilder yaml = new StringBuilder("name: flat\nmax_active_tasks: " + limit + "\ntasks:\n");
        for (int i = 0; i < width; i++) {
            yaml.append("  - {name: t")
                    .append(i)
                    .append(", command: \"true\"")
                    .append(extra)
                    .append("}\n");
        }
        return yaml.toString();
    }

    private static List<String> names(List<TaskDispatched> dispatched) {
        return dispatched.stream().map(TaskDispatched::task).toList();
    }

    private int liveTasks(String runId, int width) {
        int live = 0;
        for (int i = 0; i < width; i++) {
            TaskEntry task = task(runId, "t" + i);
            if (task.status() == TaskStatus.QUEUED || task.status() == TaskStatus.RUNNING) {
                live++;
            }
        }
        return live;
    }

    private int heldKeys() {
        int held = 0;
        try (var it = driver.<String, byte[]>getKeyValueStore(StoreNames.TIMERS).all()) {
            while (it.hasNext()) {
                if (it.next().key.startsWith(StoreNames.HELD_PREFIX)) {
                    held++;
                }
            }
        }
        return held;
    }

    @Test
    void onlyTheLimitRunsAndHeldTasksGoInDeclarationOrderAsPlacesFree() throws Exception {
        submit("l1", flat(7, 2, ""));
        List<TaskDispatched> first = dispatched();
        assertEquals(List.of("t0", "t1"), names(first));
        TaskEntry held = task("l1", "t2");
        assertEquals(TaskStatus.PENDING, held.status());
        assertTrue(held.waits().hold().isHeld());
        assertEquals(TaskHold.BY_RUN_LIMIT, held.toReport().waitingFor());
        assertEquals(2, run("l1").limit().activeTasks());
        assertEquals(5, heldKeys());

        List<String> order = new ArrayList<>(names(first));
        List<TaskDispatched> running = new ArrayList<>(first);
        while (!running.isEmpty()) {
            succeed(running.remove(0));
            List<TaskDispatched> next = dispatched();
            running.addAll(next);
            order.addAll(names(next));
            assertTrue(liveTasks("l1", 7) <= 2, "never more than the limit queued or running");
            assertEquals(liveTasks("l1", 7), run("l1").limit().activeTasks(), "the run's count matches its tasks");
        }
        assertEquals(List.of("t0", "t1", "t2", "t3", "t4", "t5", "t6"), order, "each once, first declared first");
        assertEquals(RunStatus.SUCCESS, run("l1").status());
        assertEquals(0, run("l1").limit().activeTasks());
        assertEquals(0, heldKeys());
        assertNull(task("l1", "t6").toReport().waitingFor());
    }

    @Test
    void aTaskWaitingOutItsBackoffFreesItsPlaceAndWaitsForOneAgain() throws Exception {
        submit("l2", flat(3, 1, ", max_retries: 1, retry_delay: 1s"));
        TaskDispatched t0 = dispatched().get(0);
        fail(t0);
        List<TaskDispatched> next = dispatched();
        assertEquals(List.of("t1"), names(next), "the failed task's backoff frees its place");
        assertEquals(TaskStatus.RETRYING, task("l2", "t0").status());
        advance(Duration.ofSeconds(2));
        assertEquals(List.of(), names(dispatched()), "its retry waits for a place");
        assertTrue(task("l2", "t0").waits().hold().isHeld());
        succeed(next.get(0));
        List<TaskDispatched> after = dispatched();
        assertEquals(List.of("t0"), names(after), "the retry, declared first, goes before t2");
        assertEquals(2, after.get(0).attempt());
        succeed(after.get(0));
        TaskDispatched t2 = dispatched().get(0);
        assertEquals("t2", t2.task());
        succeed(t2);
        assertEquals(RunStatus.SUCCESS, run("l2").status());
    }

    @Test
    void mappedInstancesShareTheLimitAndTheMappedTaskTakesNoPlace() throws Exception {
        submit("l3", """
                name: map
                max_active_tasks: 2
                tasks:
                  - {name: each, for_each: [1, 2, 3, 4, 5], command: "true"}
                """);
        List<TaskDispatched> running = new ArrayList<>(dispatched());
        assertEquals(List.of("each[0]", "each[1]"), names(running));
        int done = 0;
        while (!running.isEmpty()) {
            succeed(running.remove(0), Map.of());
            done++;
            running.addAll(dispatched());
            assertTrue(running.size() <= 2, "at most two instances at once: " + names(running));
        }
        assertEquals(5, done);
        assertEquals(RunStatus.SUCCESS, run("l3").status());
        assertEquals(0, run("l3").limit().activeTasks());
    }

    @Test
    void aCancelledRunEndsItsHeldTasksAndARetryCountsFromZero() throws Exception {
        submit("l4", flat(4, 1, ""));
        TaskDispatched t0 = dispatched().get(0);
        commands.pipeInput("l4", Events.toJson(RunCancelRequested.of("l4", clock.instant(), "enough")));
        for (int i = 0; i < 5; i++) {
            advance(Duration.ofMillis(100));
        }
        assertEquals(List.of(), names(dispatched()), "nothing held is let go by the cancel");
        assertEquals(RunStatus.CANCELLED, run("l4").status());
        assertEquals(TaskStatus.CANCELLED, task("l4", "t3").status());
        assertFalse(task("l4", "t3").waits().hold().isHeld());
        assertEquals(0, heldKeys(), "no held task left behind");
        assertEquals(0, run("l4").limit().activeTasks());

        commands.pipeInput("l4", Events.toJson(TaskRetryRequested.of("l4", clock.instant())));
        List<TaskDispatched> again = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            advance(Duration.ofMillis(100));
            again.addAll(dispatched());
        }
        assertEquals(1, again.size(), "the retried run keeps its limit: " + names(again));
        List<TaskDispatched> running = new ArrayList<>(again);
        int ran = 0;
        while (!running.isEmpty()) {
            succeed(running.remove(0));
            ran++;
            running.addAll(dispatched());
            assertTrue(running.size() <= 1);
        }
        assertEquals(4, ran);
        assertEquals(RunStatus.SUCCESS, run("l4").status());
        assertTrue(t0.attempt() >= 1);
    }

    @Test
    void aRunWithoutALimitKeepsNoCount() throws Exception {
        submit("l5", "name: free\ntasks:\n  - {name: a, command: 'true'}\n  - {name: b, command: 'true'}\n");
        assertEquals(2, dispatched().size());
        assertNull(run("l5").limit().maxActiveTasks());
        assertEquals(0, run("l5").limit().activeTasks());
    }

    @Test
    void aTaskThatBecomesReadyWaitsBehindTheTasksAlreadyHeld() throws Exception {
        submit("l6", """
                name: order
                max_active_tasks: 1
                tasks:
                  - {name: a, command: "true"}
                  - {name: h, command: "true"}
                  - {name: b, command: "true", dependencies: [a]}
                """);
        TaskDispatched a = dispatched().get(0);
        assertEquals("a", a.task());
        succeed(a);
        List<TaskDispatched> next = dispatched();
        assertEquals(List.of("h"), names(next), "h waited first; b, ready later, waits behind it");
        assertTrue(task("l6", "b").waits().hold().isHeld());
        assertEquals(1, run("l6").limit().heldTasks());
        succeed(next.get(0));
        TaskDispatched b = dispatched().get(0);
        assertEquals("b", b.task());
        succeed(b);
        assertEquals(RunStatus.SUCCESS, run("l6").status());
        assertEquals(0, run("l6").limit().heldTasks());
        assertEquals(0, heldKeys());
    }

    @Test
    void aHeldTaskIsNotDecidedAgainByALaterUpstreamEnd() throws Exception {
        submit("l7", """
                name: rules
                max_active_tasks: 2
                tasks:
                  - {name: u1, command: "true"}
                  - {name: u2, command: "true"}
                  - {name: w, command: "true"}
                  - {name: x, command: "true", dependencies: [u1, u2], trigger_rule: one_success}
                """);
        List<TaskDispatched> first = dispatched();
        assertEquals(List.of("u1", "u2"), names(first));
        succeed(first.get(0));
        List<TaskDispatched> wDispatched = dispatched();
        assertEquals(List.of("w"), names(wDispatched), "w was held first");
        assertTrue(task("l7", "x").waits().hold().isHeld());
        assertEquals(1, run("l7").limit().heldTasks());
        fail(first.get(1));
        // u2's end is told to x, which is held and not decided again (not held twice, its rule not asked again);
        // the place u2 freed lets it go, once
        List<TaskDispatched> x = dispatched();
        assertEquals(List.of("x"), names(x));
        assertEquals(1, x.get(0).attempt());
        assertEquals(0, run("l7").limit().heldTasks());
        assertEquals(2, run("l7").limit().activeTasks());
        succeed(wDispatched.get(0));
        succeed(x.get(0));
        assertEquals(TaskStatus.SUCCESS, task("l7", "x").status());
        assertEquals(RunStatus.FAILED, run("l7").status(), "u2 failed");
        assertEquals(0, heldKeys());
    }
}
