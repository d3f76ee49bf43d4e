package io.dagctl.worker.consume;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which dispatch records may be committed. Tasks finish out of order; a partition's committed offset only moves past
 * a record once that record and every earlier one are done, so a crash re-delivers every unfinished task.
 */
final class OffsetTracker {

    private final Map<TopicPartition, TreeSet<Long>> inFlight = new HashMap<>();
    private final Map<TopicPartition, Long> nextToCommit = new HashMap<>();
    private final Map<TopicPartition, Long> committed = new HashMap<>();

    void started(TopicPartition partition, long offset) {
        inFlight.computeIfAbsent(partition, p -> new TreeSet<>()).add(offset);
        nextToCommit.merge(partition, offset + 1, Math::max);
    }

    /** A record that needs no work (unreadable, skipped) is done at once. */
    void skipped(TopicPartition partition, long offset) {
        nextToCommit.merge(partition, offset + 1, Math::max);
    }

    void done(TopicPartition partition, long offset) {
        TreeSet<Long> offsets = inFlight.get(partition);
        if (offsets != null) {
            offsets.remove(offset);
        }
    }

    /** Offsets that moved since the last call, for commitAsync. */
    Map<TopicPartition, OffsetAndMetadata> takeCommittable() {
        Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
        nextToCommit.forEach((partition, next) -> {
            TreeSet<Long> offsets = inFlight.get(partition);
            long safe = offsets == null || offsets.isEmpty() ? next : offsets.first();
            if (!committed.containsKey(partition) || committed.get(partition) < safe) {
                committed.put(partition, safe);
                out.put(partition, new OffsetAndMetadata(safe));
            }
        });
        return out;
    }

    /** Forgets a partition this consumer no longer owns. */
    void forget(TopicPartition partition) {
        inFlight.remove(partition);
        nextToCommit.remove(partition);
        committed.remove(partition);
    }

    boolean owns(TopicPartition partition) {
        return nextToCommit.containsKey(partition);
    }
}
