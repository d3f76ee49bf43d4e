package io.dagctl.coordinator.engine;

import io.dagctl.core.model.TaskStatus;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/** The work of every partition this instance owns right now; gauges read their sums. */
public final class OwnedWork {

    private final Map<Integer, PartitionWork> partitions = new ConcurrentHashMap<>();

    void owned(int partition, PartitionWork work) {
        partitions.put(partition, work);
    }

    void released(int partition, PartitionWork work) {
        partitions.remove(partition, work);
    }

    public long tasks(TaskStatus status) {
        return partitions.values().stream().mapToLong(w -> w.tasks(status)).sum();
    }

    /** QUEUED tasks dispatched to {@code queue}, in the partitions owned now. */
    public long queued(String queue) {
        return partitions.values().stream().mapToLong(w -> w.queued(queue)).sum();
    }

    /** The queues the owned partitions have had QUEUED tasks of. */
    public Set<String> queues() {
        Set<String> all = new TreeSet<>();
        partitions.values().forEach(w -> all.addAll(w.queues()));
        return all;
    }

    public long activeRuns() {
        return partitions.values().stream().mapToLong(PartitionWork::activeRuns).sum();
    }
}
