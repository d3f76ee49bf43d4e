package io.dagctl.coordinator.engine;

import java.time.Instant;

/**
 * One attempt's claim on a pool's slots, as the pool's owner keeps it ({@link StoreNames#poolClaimKey}).
 *
 * @param waitKey its key in the waiting line while it waits; null once granted
 */
public record PoolClaim(
        String holder,
        String runId,
        String task,
        int slots,
        int priority,
        Instant requestedAt,
        String waitKey,
        Instant grantedAt) {

    boolean isGranted() {
        return waitKey == null;
    }

    PoolClaim granted(Instant at) {
        return new PoolClaim(holder, runId, task, slots, priority, requestedAt, null, at);
    }
}
