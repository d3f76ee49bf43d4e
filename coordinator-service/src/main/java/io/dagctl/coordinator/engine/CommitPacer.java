package io.dagctl.coordinator.engine;

import java.time.Duration;

/**
 * Decides when the coordinator asks Kafka Streams for an early commit. Under exactly-once a dispatch reaches workers
 * only when the transaction that wrote it commits, so waiting for the commit interval would add half of it to every
 * hop of a chain. A commit is asked for right after a dispatch or cancel, but at most once per {@code gap}: a stream
 * of results that each dispatch something still shares transactions, and output inside the gap goes with the next
 * early or regular commit.
 *
 * <p>Nor is one asked for while the thread works through a backlog: when the record that caused the output had already
 * waited longer than {@code backlog} (one commit interval) before it was processed, the records behind it waited too,
 * and a commit per record would be what keeps them waiting (a transaction's commit costs more than applying a record).
 * The regular commit, at most one interval away, takes the output with the rest of the batch. Results carry the
 * broker's append time; commands their producer's clock, and one that is far off only moves its records between the
 * two cases.
 *
 * <p>One pacer serves every partition task of a Kafka Streams instance (one commit covers all of them); it is only
 * called from the instance's single stream thread.
 */
final class CommitPacer {

    private final long gapNanos;
    private final long backlogMillis;
    private long lastRequestNanos;

    CommitPacer(Duration gap, Duration backlog, long nowNanos) {
        this.gapNanos = gap.toNanos();
        this.backlogMillis = backlog.toMillis();
        this.lastRequestNanos = nowNanos - gapNanos;
    }

    /**
     * Output that workers wait for was written, caused by a record that had waited {@code inputAgeMillis} (0 for a
     * timer's output); true when a commit should be requested for it now.
     */
    boolean urgentOutput(long nowNanos, long inputAgeMillis) {
        if (inputAgeMillis > backlogMillis || nowNanos - lastRequestNanos < gapNanos) {
            return false;
        }
        lastRequestNanos = nowNanos;
        return true;
    }
}
