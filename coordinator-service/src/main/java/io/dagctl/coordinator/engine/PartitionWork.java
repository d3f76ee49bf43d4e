package io.dagctl.coordinator.engine;

import io.dagctl.core.model.TaskStatus;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Live counts of one owned partition's work: tasks by non-terminal status and unfinished runs. Written by the stream
 * thread as the store changes, read by metric scrapes. Rebuilt from the stores when the partition is assigned.
 */
public final class PartitionWork {

    private final AtomicLongArray tasksByStatus = new AtomicLongArray(TaskStatus.values().length);
    private final Set<String> activeRuns = ConcurrentHashMap.newKeySet();
    /** QUEUED tasks by the queue they were dispatched to. */
    private final Map<String, AtomicLong> queuedByQueue = new ConcurrentHashMap<>();

    void taskMoved(TaskStatus from, TaskStatus to, String queue) {
        if (from == to) {
            return;
        }
        if (from == TaskStatus.QUEUED) {
            queuedByQueue.computeIfAbsent(queue, q -> new AtomicLong()).decrementAndGet();
        }
        if (to == TaskStatus.QUEUED) {
            queuedByQueue.computeIfAbsent(queue, q -> new AtomicLong()).incrementAndGet();
        }
        if (from != null && !from.isTerminal()) {
            tasksByStatus.decrementAndGet(from.ordinal());
        }
        if (!to.isTerminal()) {
            tasksByStatus.incrementAndGet(to.ordinal());
        }
    }

    void run(RunEntry run) {
        if (run.status().isTerminal()) {
            activeRuns.remove(run.runId());
        } else {
            activeRuns.add(run.runId());
        }
    }

    public long tasks(TaskStatus status) {
        return tasksByStatus.get(status.ordinal());
    }

    /** QUEUED tasks dispatched to {@code queue}. */
    public long queued(String queue) {
        AtomicLong n = queuedByQueue.get(queue);
        return n == null ? 0 : n.get();
    }

    /** The queues it has had QUEUED tasks of. */
    public Set<String> queues() {
        return queuedByQueue.keySet();
    }

    public int activeRuns() {
        return activeRuns.size();
    }
}
