package io.dagctl.coordinator.view;

import io.dagctl.coordinator.engine.TaskEntry;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.model.TriggerRule;
import io.dagctl.core.report.AttemptReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the run page needs of one task, copied out of its stored entry: a snapshot of a 100,000-task run holds these,
 * not the entries with their specs, tails and outputs.
 *
 * @param mappedTask the mapped task it is an instance of, or null
 * @param forEach it is a mapped task ({@code for_each})
 * @param instances a mapped task's number of instances once known, else -1
 */
record TaskCell(
        String name,
        int index,
        String mappedTask,
        TaskStatus status,
        int attempts,
        Instant queuedAt,
        Instant startedAt,
        Instant endedAt,
        String workerId,
        Integer exitCode,
        List<String> dependents,
        TriggerRule rule,
        String when,
        boolean forEach,
        int instances,
        List<AttemptReport> pastAttempts) {

    static TaskCell of(TaskEntry entry) {
        return new TaskCell(
                entry.name(),
                entry.index(),
                entry.mappedTask(),
                entry.status(),
                entry.attempt(),
                entry.queuedAt(),
                entry.startedAt(),
                entry.endedAt(),
                entry.workerId(),
                entry.exitCode(),
                entry.dependents(),
                entry.spec().triggerRule(),
                entry.spec().when(),
                entry.spec().forEach() != null && entry.mappedTask() == null,
                entry.instanceCount(),
                entry.pastAttempts());
    }

    boolean isMapped() {
        return forEach;
    }

    /** Run time of its current attempt so far (to {@code now} while it runs), or -1 before it started. */
    long durationMs(Instant now) {
        if (startedAt == null) {
            return -1;
        }
        return Duration.between(startedAt, endedAt != null ? endedAt : now).toMillis();
    }
}
