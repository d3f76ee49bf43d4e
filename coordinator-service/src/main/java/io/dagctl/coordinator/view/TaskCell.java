package io.dagctl.coordinator.view;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.dagctl.core.event.Events;
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
        int instances) {

    /**
     * The parts of a stored {@link io.dagctl.coordinator.engine.TaskEntry} the page needs, decoded without the rest
     * (command, environment, tails, outputs, upstream counts): a 100,000-task snapshot is read several times faster.
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Stored(
            int index,
            Spec spec,
            List<String> dependents,
            TaskStatus status,
            int attempt,
            Instant queuedAt,
            Instant startedAt,
            Instant endedAt,
            String workerId,
            Integer exitCode,
            Parent instanceOf,
            Count instances,
            List<AttemptReport> pastAttempts) {

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Spec(String name, TriggerRule triggerRule, String when, Object forEach) {}

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Parent(String parent) {}

        @JsonIgnoreProperties(ignoreUnknown = true)
        record Count(int count) {}
    }

    static TaskCell of(byte[] storedTask) {
        Stored t = Events.fromJson(storedTask, Stored.class);
        String mapped = t.instanceOf() == null ? null : t.instanceOf().parent();
        return new TaskCell(
                t.spec().name(),
                t.index(),
                mapped,
                t.status(),
                t.attempt(),
                t.queuedAt(),
                t.startedAt(),
                t.endedAt(),
                t.workerId(),
                t.exitCode(),
                t.dependents() == null ? List.of() : t.dependents(),
                t.spec().triggerRule(),
                t.spec().when(),
                t.spec().forEach() != null && mapped == null,
                t.instances() == null ? -1 : t.instances().count());
    }

    /** A stored task's earlier attempts: read for the few tasks a timeline shows, not kept in snapshots. */
    static List<AttemptReport> pastAttempts(byte[] storedTask) {
        if (storedTask == null) {
            return List.of();
        }
        List<AttemptReport> past = Events.fromJson(storedTask, Stored.class).pastAttempts();
        return past == null ? List.of() : past;
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
