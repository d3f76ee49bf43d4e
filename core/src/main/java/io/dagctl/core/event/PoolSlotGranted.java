package io.dagctl.core.event;

import io.dagctl.core.model.RunId;
import java.time.Instant;

/**
 * A pool's owner gave a waiting claim its slots: the run's owner dispatches the task's attempt, or (the task no longer
 * waits for it) gives them back with a {@link PoolSlotReleased}.
 */
public record PoolSlotGranted(int v, String runId, String task, String holder, String pool, Instant grantedAt)
        implements RunCommand {

    public PoolSlotGranted {
        RunId.require(runId);
        Required.field(task, "PoolSlotGranted", "task");
        Required.field(holder, "PoolSlotGranted", "holder");
        Required.field(pool, "PoolSlotGranted", "pool");
    }

    public static PoolSlotGranted of(String runId, String task, String holder, String pool, Instant at) {
        return new PoolSlotGranted(Events.SCHEMA_VERSION, runId, task, holder, pool, at);
    }
}
