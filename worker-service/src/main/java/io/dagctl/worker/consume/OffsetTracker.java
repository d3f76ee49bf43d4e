package io.dagctl.worker.consume;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which dispatch offsets may be committed. A record is <em>covered</em> once the coordinator watches its attempt
 * without it: its start (or, for a task with no start report, its result) is in Kafka, so a crash of this worker is
 * caught by the attempt's lease, or it needed no work. A partition is committed up to its lowest uncovered record,
 * with {@link ResumeMarks} naming the uncovered records beyond it: a long task does not hold the offset back, and the
 * next owner of the partition neither loses a record that was not started nor runs again one that was.
 *
 * <p>The marks a partition came with (from its previous owner) are kept and carried into this worker's own commits
 * until it has read past them, so that a partition that moves twice still knows what its first owner started.
 */
final class OffsetTracker {

    private static final class Partition {
        final TreeSet<Long> uncovered = new TreeSet<>();
        /** Uncovered records given to a slot whose start is not in Kafka yet. */
        final TreeSet<Long> handed = new TreeSet<>();

        long next = -1;
        ResumeMarks inherited;
        OffsetAndMetadata lastCommitted;
    }

    private final Map<TopicPartition, Partition> partitions = new HashMap<>();

    /** The partition was assigned with these marks from its previous owner. */
    void inherit(TopicPartition partition, ResumeMarks marks) {
        partitions.computeIfAbsent(partition, k -> new Partition()).inherited = marks;
    }

    /** False when the partition's previous owner started the record: it runs (or ran) there. */
    boolean shouldRun(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        return p == null || p.inherited == null || p.inherited.shouldRun(offset);
    }

    /** A record was taken from the partition; it stays uncovered until {@link #covered}. */
    void taken(TopicPartition partition, long offset) {
        Partition p = partitions.computeIfAbsent(partition, k -> new Partition());
        p.uncovered.add(offset);
        p.next = Math.max(p.next, offset + 1);
    }

    /** The record was given to a slot: it runs here, though its start is not reported yet. */
    void handed(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        if (p != null && p.uncovered.contains(offset)) {
            p.handed.add(offset);
        }
    }

    /** The record needs nothing more from this worker. */
    void covered(TopicPartition partition, long offset) {
        Partition p = partitions.get(partition);
        if (p != null) {
            p.uncovered.remove(offset);
            p.handed.remove(offset);
        }
    }

    /** A record that needs no work (unreadable, skipped): taken and covered at once. */
    void skipped(TopicPartition partition, long offset) {
        taken(partition, offset);
        covered(partition, offset);
    }

    /** Whether a record of these partitions was given to a slot and its start is not in Kafka yet. */
    boolean anyHanded(Collection<TopicPartition> wanted) {
        for (TopicPartition partition : wanted) {
            Partition p = partitions.get(partition);
            if (p != null && !p.handed.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** What moved since the last call, for a commit. */
    Map<TopicPartition, OffsetAndMetadata> takeCommittable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach((partition, p) -> {
            OffsetAndMetadata now = position(p, false);
            if (now != null && !now.equals(p.lastCommitted)) {
                p.lastCommitted = now;
                out.put(partition, now);
            }
        });
        return out;
    }

    /**
     * Every partition's position, whether or not it moved: for the commit a worker makes before it leaves, which must
     * not trust that an asynchronous commit still in flight will succeed.
     */
    Map<TopicPartition, OffsetAndMetadata> allPositions() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        partitions.forEach((partition, p) -> {
            OffsetAndMetadata now = position(p, false);
            if (now != null) {
                p.lastCommitted = now;
                out.put(partition, now);
            }
        });
        return out;
    }

    /**
     * A commit of these positions failed (a rebalance was under way): they count as not committed, so the next
     * {@link #takeCommittable} offers them again even if nothing moves meanwhile.
     */
    void commitFailed(Map<TopicPartition, OffsetAndMetadata> failed) {
        failed.forEach((partition, position) -> {
            Partition p = partitions.get(partition);
            if (p != null && position.equals(p.lastCommitted)) {
                p.lastCommitted = null;
            }
        });
    }

    /**
     * The commit that hands partitions over (they are being revoked), whether or not it moved. A record given to a
     * slot counts as covered even if its start is not in Kafka yet: it runs here, and the next owner must not run it
     * again (should this worker die before reporting it, the coordinator's start deadline queues a new attempt).
     */
    Map<TopicPartition, OffsetAndMetadata> handover(Iterable<TopicPartition> wanted) {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        for (TopicPartition partition : wanted) {
            Partition p = partitions.get(partition);
            OffsetAndMetadata now = p == null ? null : position(p, true);
            if (now != null) {
                p.lastCommitted = now;
                out.put(partition, now);
            }
        }
        return out;
    }

    /** Null when nothing was taken from the partition: the commit it came with still says everything. */
    private static OffsetAndMetadata position(Partition p, boolean handedAreCovered) {
        if (p.next < 0) {
            return null;
        }
        boolean inheritedAhead = p.inherited != null && p.inherited.end() > p.next;
        NavigableSet<Long> open = p.uncovered;
        if ((handedAreCovered && !p.handed.isEmpty()) || inheritedAhead) {
            open = new TreeSet<>(p.uncovered); // copied only when it must differ from what this worker holds
            if (handedAreCovered) {
                open.removeAll(p.handed);
            }
        }
        long end = p.next;
        if (inheritedAhead) {
            // not read here yet: what the previous owner had not started still must run, the rest not
            end = p.inherited.end();
            open.addAll(p.inherited.uncovered().tailSet(p.next, true));
        }
        long committed = open.isEmpty() ? end : open.first();
        return new OffsetAndMetadata(committed, new ResumeMarks(committed, end, open).encode());
    }

    /** Forgets a partition this consumer no longer owns. */
    void forget(TopicPartition partition) {
        partitions.remove(partition);
    }
}
