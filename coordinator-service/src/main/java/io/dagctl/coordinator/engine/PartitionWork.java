package io.dagctl.coordinator.engine;

import io.dagctl.core.model.TaskStatus;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Live counts of one owned partition's work: tasks by non-terminal status and unfinished runs. Written by the stream
 * thread as the store changes, read by metric scrapes. Rebuilt from the stores when the partition is assigned.
 */
public final class PartitionWork {

    private final AtomicLongArray tasksByStatus = new AtomicLongArray(TaskStatus.values().length);
    private final Set<String> activeRuns = ConcurrentHashMap.newKeySet();

    void taskMoved(TaskStatus from, TaskStatus to) {
        if (from == to) {
            return;
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

    public int activeRuns() {
        return activeRuns.size();
    }
}
