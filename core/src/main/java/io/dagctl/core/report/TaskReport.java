package io.dagctl.core.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dagctl.core.model.Queues;
import io.dagctl.core.model.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One task's line of a run report. Times are null until they happen; {@code exitCode} null until it exits;
 * {@code outputs} what its last attempt wrote to {@code $DAGCTL_OUTPUT} (left out when none); {@code renderedCommand}
 * the command its last attempt ran when the command holds templates (left out when it does not); {@code pastAttempts}
 * its earlier attempts, oldest first, the last {@value #PAST_ATTEMPTS_KEPT} (left out when it has had one attempt);
 * {@code waitingFor} what a task ready to run, or dispatched and not started, waits for (left out when nothing holds
 * it); {@code queue} the queue it is dispatched to (left out for the default queue).
 */
public record TaskReport(
        String name,
        TaskStatus status,
        int attempts,
        Integer exitCode,
        Instant startedAt,
        Instant endedAt,
        Long durationMs,
        String workerId,
        String stdoutTail,
        String stderrTail,
        String error,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> outputs,
        @JsonInclude(JsonInclude.Include.NON_NULL) String renderedCommand,
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<AttemptReport> pastAttempts,
        @JsonInclude(JsonInclude.Include.NON_NULL) String waitingFor,
        @JsonInclude(JsonInclude.Include.NON_NULL) String queue) {

    /** How many earlier attempts a task keeps. */
    public static final int PAST_ATTEMPTS_KEPT = 10;

    /** A task that nothing holds back. */
    public TaskReport(
            String name,
            TaskStatus status,
            int attempts,
            Integer exitCode,
            Instant startedAt,
            Instant endedAt,
            Long durationMs,
            String workerId,
            String stdoutTail,
            String stderrTail,
            String error,
            Map<String, Object> outputs,
            String renderedCommand,
            List<AttemptReport> pastAttempts) {
        this(
                name,
                status,
                attempts,
                exitCode,
                startedAt,
                endedAt,
                durationMs,
                workerId,
                stdoutTail,
                stderrTail,
                error,
                outputs,
                renderedCommand,
                pastAttempts,
                null,
                null);
    }

    /** The same report, saying what the task waits for (null: nothing). */
    public TaskReport waiting(String reason) {
        return new TaskReport(
                name,
                status,
                attempts,
                exitCode,
                startedAt,
                endedAt,
                durationMs,
                workerId,
                stdoutTail,
                stderrTail,
                error,
                outputs,
                renderedCommand,
                pastAttempts,
                reason,
                queue);
    }

    /** The same report, naming the queue it is dispatched to (the default queue is left out). */
    public TaskReport inQueue(String queueName) {
        return new TaskReport(
                name,
                status,
                attempts,
                exitCode,
                startedAt,
                endedAt,
                durationMs,
                workerId,
                stdoutTail,
                stderrTail,
                error,
                outputs,
                renderedCommand,
                pastAttempts,
                waitingFor,
                Queues.DEFAULT.equals(queueName) ? null : queueName);
    }

    /** The queue it is dispatched to. */
    public String queueName() {
        return Queues.of(queue);
    }

    public TaskReport {
        outputs = outputs == null ? Map.of() : outputs;
        pastAttempts = pastAttempts == null ? List.of() : List.copyOf(pastAttempts);
    }
}
