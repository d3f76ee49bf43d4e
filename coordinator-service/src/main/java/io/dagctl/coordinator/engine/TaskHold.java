package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.dagctl.core.model.TaskStatus;

/**
 * Whether a task is held back by its run's {@code max_active_tasks}: ready to run (PENDING, or RETRYING after its
 * backoff), it waits, holding nothing, until {@link TaskLimit} lets it go for a free place. Stored at the task entry's
 * top level ({@code held}, left out when false).
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class TaskHold {

    /** What a held task waits for, in its report. */
    static final String BY_RUN_LIMIT = "a free place under the run's max_active_tasks";

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    private boolean held;

    boolean isHeld() {
        return held;
    }

    /** The task (in {@code status}) waits for a place. */
    void take(TaskStatus status, String task) {
        if (status != TaskStatus.PENDING && status != TaskStatus.RETRYING) {
            throw new IllegalStateException("task " + task + " is " + status + "; only a ready task can be held");
        }
        held = true;
    }

    /** No longer held: it is being dispatched, or it ended while it waited. True when it was held. */
    boolean release() {
        boolean was = held;
        held = false;
        return was;
    }
}
