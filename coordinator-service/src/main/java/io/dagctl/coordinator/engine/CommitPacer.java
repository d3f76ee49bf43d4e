package io.dagctl.coordinator.engine;

import java.time.Duration;

/**
 * Decides when the coordinator asks Kafka Streams for an early commit. Under exactly-once a dispatch reaches workers
 * only when the transaction that wrote it commits, so waiting for the commit interval would add half of it to every
 * hop of a chain. A commit is asked for right after a dispatch or cancel, but at most once per {@code gap}: a stream
 * of results that each dispatch something still shares transactions, and output inside the gap goes with the next
 * early or regular commit.
 *
 * <p>One pacer serves every partition task of a Kafka Streams instance (one commit covers all of them); it is only
 * called from the instance's single stream thread.
 */
final class CommitPacer {

    private final long gapNanos;
    private long lastRequestNanos;

    CommitPacer(Duration gap, long nowNanos) {
        this.gapNanos = gap.toNanos();
        this.lastRequestNanos = nowNanos - gapNanos;
    }

    /** Output that workers wait for was written; true when a commit should be requested for it now. */
    boolean urgentOutput(long nowNanos) {
        if (nowNanos - lastRequestNanos < gapNanos) {
            return false;
        }
        lastRequestNanos = nowNanos;
        return true;
    }
}
