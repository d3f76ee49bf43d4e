package io.dagctl.core.event;

import io.dagctl.core.model.RunId;
import java.time.Instant;

/**
 * A task's next attempt asks its pool's owner for {@code slots} slots; it is dispatched when a {@link PoolSlotGranted}
 * comes back. Waiting requests are granted by priority (higher first), then in the order they came.
 *
 * @param holder {@link Pools#holder}: the claim the grant and the release name
 */
public record PoolSlotRequested(
        int v, String pool, String holder, String runId, String task, int slots, int priority, Instant requestedAt)
        implements PoolCommand {

    public PoolSlotRequested {
        PoolCommand.requireName(pool);
        Required.field(holder, "PoolSlotRequested", "holder");
        RunId.require(runId);
        Required.field(task, "PoolSlotRequested", "task");
        if (slots < 1) {
            throw new IllegalArgumentException("a request takes at least 1 slot, got " + slots);
        }
    }

    public static PoolSlotRequested of(
            String pool, String holder, String runId, String task, int slots, int priority, Instant at) {
        return new PoolSlotRequested(Events.SCHEMA_VERSION, pool, holder, runId, task, slots, priority, at);
    }
}
