package io.dagctl.coordinator.engine;

import java.time.Duration;
import java.time.Instant;

/** How far behind the partition's results are processed: zero when it keeps up (or is idle). */
@FunctionalInterface
public interface LagProbe {

    LagProbe NONE = now -> Duration.ZERO;

    Duration behind(Instant now);

    /**
     * Since when this instance reads the partition's results (it was given the partition then): heartbeats sent while
     * nobody read them (a failover, a long rebalance) are in the backlog it reads first, so a lost attempt is not
     * judged before it had the time of one lease to read them.
     */
    default Instant readingSince() {
        return Instant.EPOCH;
    }
}
