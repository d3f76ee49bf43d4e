package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.report.TaskReport;

/**
 * What a task that is ready to run may wait for before its attempt is queued: a place under its run's
 * {@code max_active_tasks} ({@link TaskHold}) and its pool's slots ({@link TaskPoolClaim}). Such a task was decided
 * before it began to wait, and is not decided again. Stored at the task entry's top level, as the two were before.
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class TaskWaits {

    @JsonUnwrapped
    private TaskHold hold = new TaskHold();

    @JsonUnwrapped
    private TaskPoolClaim pool = new TaskPoolClaim();

    TaskHold hold() {
        return hold;
    }

    TaskPoolClaim pool() {
        return pool;
    }

    /** Held by its run's limit, or waiting for its pool's slots. */
    boolean forPlace() {
        return hold.isHeld() || pool.isWaiting();
    }

    /** The report, saying what the task waits for when it waits. */
    TaskReport explain(TaskReport report, TaskSpec spec) {
        if (pool.isWaiting()) {
            return report.waiting(TaskPoolClaim.waitingFor(spec));
        }
        return hold.isHeld() ? report.waiting(TaskHold.BY_RUN_LIMIT) : report;
    }
}
