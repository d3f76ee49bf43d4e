package io.dagctl.coordinator.engine;

import io.dagctl.core.model.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A run's {@code max_active_tasks}: at most that many of its tasks have an attempt queued or running. A task that is
 * ready while the run has no place is held (it stays PENDING or RETRYING, holding nothing, and says so in its report)
 * and is dispatched, first declared first, when a task of the run ends or waits out a retry's backoff.
 *
 * <p>The run entry keeps its count of live attempts; a unit of work counts what its entries changed ({@link
 * WorkUnit#liveDelta}) and, before it commits, lets go as many held tasks as places were freed. The count, the held
 * tasks and the dispatches commit in the same transaction, so the limit holds across a failover of the run's owner.
 */
final class TaskLimit {

    private final RunWriter writer;
    private final WorkUnit unit;

    TaskLimit(RunWriter writer, WorkUnit unit) {
        this.writer = writer;
        this.unit = unit;
    }

    /** Whether {@code task}, ready to run, must wait: its run is at its limit and the task holds no place already. */
    boolean mustWait(TaskEntry task, RunEntry run) {
        Integer limit = run.maxActiveTasks();
        return limit != null && !task.hasLiveAttempt() && run.activeTasks() + unit.liveDelta(run.runId()) >= limit;
    }

    /** Holds a task that must wait: nothing is dispatched until a place is free. */
    void hold(TaskEntry task) {
        task.hold();
        unit.hold(task);
        writer.update(task);
    }

    /** A held task that ended while it waited (its run was cancelled) no longer waits. */
    void forgetIfEnded(TaskEntry task) {
        if (task.isHeld() && task.status() != TaskStatus.PENDING && task.status() != TaskStatus.RETRYING) {
            task.unhold();
            unit.unhold(task);
        }
    }

    /**
     * At the end of a unit of work: each run with a limit whose live attempts changed counts the change into its entry,
     * after dispatching as many of its held tasks as there are free places (a place freed after a task was held in the
     * same unit included).
     */
    void settle(Instant now) {
        for (Map.Entry<String, Integer> changed : unit.liveDeltas().entrySet()) {
            RunEntry run = unit.run(changed.getKey());
            if (run == null || run.maxActiveTasks() == null) {
                unit.liveDeltaCounted(changed.getKey());
                continue;
            }
            if (run.isDispatching()) {
                letGo(run, now);
            }
            run.activeTasksChanged(unit.liveDelta(run.runId()));
            unit.liveDeltaCounted(run.runId());
            writer.save(run, now, false);
        }
    }

    private void letGo(RunEntry run, Instant now) {
        int free;
        while ((free = run.maxActiveTasks() - run.activeTasks() - unit.liveDelta(run.runId())) > 0) {
            List<String> next = unit.held(run.runId(), free);
            if (next.isEmpty()) {
                return;
            }
            for (String name : next) {
                TaskEntry task = unit.task(run.runId(), name);
                task.unhold();
                unit.unhold(task);
                if (task.status() == TaskStatus.PENDING || task.status() == TaskStatus.RETRYING) {
                    writer.dispatch(task, run, now);
                } else {
                    writer.update(task);
                }
            }
        }
    }
}
