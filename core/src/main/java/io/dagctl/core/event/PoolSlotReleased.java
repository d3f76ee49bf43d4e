package io.dagctl.core.event;

import java.time.Instant;

/**
 * A claim's attempt ended (or its task no longer wants the slots it waits for): its pool's owner frees what it held,
 * or drops it from the waiting line. A release of a claim the owner does not know changes nothing.
 */
public record PoolSlotReleased(int v, String pool, String holder, Instant releasedAt) implements PoolCommand {

    public PoolSlotReleased {
        PoolCommand.requireName(pool);
        Required.field(holder, "PoolSlotReleased", "holder");
    }

    public static PoolSlotReleased of(String pool, String holder, Instant at) {
        return new PoolSlotReleased(Events.SCHEMA_VERSION, pool, holder, at);
    }
}
