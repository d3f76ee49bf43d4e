package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.coordinator.timer.TimerKind;
import io.dagctl.core.model.TaskStatus;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code max_active_tasks}: at most that many of its tasks have an attempt queued or running. A task that is
 * ready while the run has no place, or while other tasks of the run wait for one, is held (it stays PENDING or
 * RETRYING, holding nothing, and says so in its report); held tasks are dispatched first declared first as places free
 * up (a task ends, or waits out a retry's backoff).
 *
 * <p>The run entry keeps its count of live attempts and of held tasks; a unit of work counts what its entries changed
 * ({@link WorkUnit#liveDelta}) and, before it commits, lets go as many held tasks as places were freed. Count, held
 * tasks and dispatches commit in the same transaction, so the limit holds across a failover of the run's owner. A unit
 * that only records a fault lets nothing go itself: a {@link TimerKind#LIMIT} timer does it in a unit of its own, so a
 * held task whose dispatch cannot be written is blamed on itself, not on the record that freed its place.
 */
final class TaskLimit {

    private static final Logger LOG = System.getLogger(TaskLimit.class.getName());

    private final RunWriter writer;
    private final WorkUnit unit;

    TaskLimit(RunWriter writer, WorkUnit unit) {
        this.writer = writer;
        this.unit = unit;
    }

    /**
     * Whether {@code task}, ready to run, must wait: it holds no place already, and its run is at its limit or has
     * tasks waiting before it.
     */
    boolean mustWait(TaskEntry task, RunEntry run) {
        Integer limit = run.limit().maxActiveTasks();
        return limit != null
                && !task.takesPlace()
                && (run.limit().heldTasks() > 0 || run.limit().activeTasks() + unit.liveDelta(run.runId()) >= limit);
    }

    /** Holds a task that must wait: nothing is dispatched until a place is free and the tasks before it have gone. */
    void hold(TaskEntry task, RunEntry run) {
        if (!task.waits().hold().isHeld()) {
            task.waits().hold().take(task.status(), task.runId() + "/" + task.name());
            unit.hold(task);
            run.limit().heldChanged(1);
            run.limit().heldAt(StreamsRunStateStore.heldKey(task));
        }
        writer.update(task);
    }

    /** A held task that ended while it waited (its run was cancelled, it failed) no longer waits. */
    void forgetIfEnded(TaskEntry task) {
        if (task.waits().hold().isHeld()
                && task.status() != TaskStatus.PENDING
                && task.status() != TaskStatus.RETRYING) {
            task.waits().hold().release();
            unit.unhold(task);
            RunEntry run = unit.run(task.runId());
            if (run != null) {
                run.limit().heldChanged(-1);
            }
        }
    }

    /**
     * At the end of a unit of work: each run with a limit whose live attempts or held tasks changed counts the change
     * into its entry, after dispatching as many of its held tasks as there are free places ({@code letGoNow}), or
     * leaving that to a {@link TimerKind#LIMIT} timer (a unit that records a fault).
     */
    void settle(Instant now, boolean letGoNow) {
        for (Map.Entry<String, Integer> changed : unit.liveDeltas().entrySet()) {
            String runId = changed.getKey();
            RunEntry run = unit.run(runId);
            if (run == null || run.limit().maxActiveTasks() == null) {
                unit.liveDeltaCounted(runId);
                continue;
            }
            if (run.isDispatching() && run.limit().heldTasks() > 0 && free(run) > 0) {
                if (letGoNow) {
                    letGo(run, now);
                } else {
                    writer.schedule(Timer.ofRun(now, TimerKind.LIMIT, runId));
                }
            }
            int active = run.limit().activeTasks() + unit.liveDelta(runId);
            if (active < 0 || run.limit().heldTasks() < 0) {
                LOG.log(
                        Level.WARNING,
                        "run {0}: {1} active and {2} held tasks counted; kept at 0",
                        runId,
                        active,
                        run.limit().heldTasks());
            }
            run.limit().activeTasksChanged(unit.liveDelta(runId));
            unit.liveDeltaCounted(runId);
            writer.save(run, now, false);
        }
    }

    /** A {@link TimerKind#LIMIT} timer: the run lets go of as many held tasks as it has free places. */
    void letGoByTimer(RunEntry run, Instant now) {
        if (run.limit().maxActiveTasks() != null && run.isDispatching()) {
            letGo(run, now);
        }
    }

    private int free(RunEntry run) {
        return run.limit().maxActiveTasks() - run.limit().activeTasks() - unit.liveDelta(run.runId());
    }

    private void letGo(RunEntry run, Instant now) {
        int free;
        while (run.limit().heldTasks() > 0 && (free = free(run)) > 0) {
            List<String> next = unit.held(run.runId(), run.limit().heldFrom(), free);
            if (next.isEmpty()) {
                LOG.log(
                        Level.WARNING,
                        "run {0} counts {1} held tasks but holds none",
                        run.runId(),
                        run.limit().heldTasks());
                run.limit().heldChanged(-run.limit().heldTasks());
                return;
            }
            for (String name : next) {
                TaskEntry task = unit.task(run.runId(), name);
                unit.unhold(task);
                run.limit().heldGoneUpTo(StreamsRunStateStore.heldKey(task));
                if (!task.waits().hold().release()) {
                    continue; // a key left by an earlier round of the run: only the key goes
                }
                run.limit().heldChanged(-1);
                if (task.status() == TaskStatus.PENDING || task.status() == TaskStatus.RETRYING) {
                    writer.queue(task, run, now);
                } else {
                    writer.update(task);
                }
            }
        }
    }
}
