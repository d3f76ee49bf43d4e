package io.dagctl.coordinator.view;

import io.dagctl.coordinator.engine.RunEntry;
import io.dagctl.coordinator.query.RunQueries;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A run's tasks as {@link TaskCell}s, read in one scan of its stored entries, and kept a short while so that the
 * run's page, refreshed every second in many tabs, reads a large run once per refresh, not once per tab.
 *
 * @param tasks the run's own tasks in declaration order (a mapped task once, not its instances)
 * @param instances every instance of a mapped task
 * @param instanceCounts per mapped task, how many of its instances are in each status
 * @param scanNanos how long the scan took
 */
record RunSnapshot(
        RunStatus runStatus,
        Instant runEndedAt,
        List<TaskCell> tasks,
        List<TaskCell> instances,
        Map<String, Map<TaskStatus, Integer>> instanceCounts,
        long takenAtNanos,
        long scanNanos) {

    static RunSnapshot read(RunEntry run, RunQueries.TaskScan scan) {
        long start = System.nanoTime();
        List<TaskCell> tasks = new ArrayList<>();
        List<TaskCell> instances = new ArrayList<>();
        Map<String, Map<TaskStatus, Integer>> counts = new HashMap<>();
        scan.forEach(stored -> {
            TaskCell cell = TaskCell.of(stored);
            if (cell.mappedTask() == null) {
                tasks.add(cell);
            } else {
                instances.add(cell);
                counts.computeIfAbsent(cell.mappedTask(), k -> new EnumMap<>(TaskStatus.class))
                        .merge(cell.status(), 1, Integer::sum);
            }
        });
        tasks.sort(Comparator.comparingInt(TaskCell::index));
        long end = System.nanoTime();
        return new RunSnapshot(run.status(), run.endedAt(), tasks, instances, counts, end, end - start);
    }

    /** How many tasks it holds, its weight in the cache. */
    int size() {
        return tasks.size() + instances.size();
    }

    /** Whether a run in {@code run}'s state may still use this snapshot. */
    boolean freshFor(RunEntry run, long now) {
        long age = now - takenAtNanos;
        if (run.status() != runStatus || !Objects.equals(run.endedAt(), runEndedAt)) {
            return false;
        }
        long allowed = runStatus.isTerminal() ? 60_000_000_000L : Math.max(800_000_000L, 4 * scanNanos);
        return age < allowed;
    }
}
