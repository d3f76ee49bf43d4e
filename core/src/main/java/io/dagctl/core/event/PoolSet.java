package io.dagctl.core.event;

import io.dagctl.core.model.Pools;
import java.time.Instant;

/**
 * Sets a pool's number of slots ({@code dagctl pools set}), creating the pool if it is new. Fewer slots than are in use
 * let the running tasks finish; nothing new starts until the pool is under its size.
 */
public record PoolSet(int v, String pool, int slots, String requestId, Instant at) implements PoolCommand {

    public PoolSet {
        PoolCommand.requireName(pool);
        if (slots < 0 || slots > Pools.MAX_SLOTS) {
            throw new IllegalArgumentException("a pool has 0 to " + Pools.MAX_SLOTS + " slots, got " + slots);
        }
    }

    public static PoolSet of(String pool, int slots, String requestId, Instant at) {
        return new PoolSet(Events.SCHEMA_VERSION, pool, slots, requestId, at);
    }
}
