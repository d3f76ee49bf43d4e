package io.dagctl.core.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The end of an attempt. {@code exitCode} is -1 when the process did not exit by itself; {@code error} explains an
 * outcome that the exit code does not (a timeout, a launch failure), or is null. {@code outputs} are what the task wrote
 * to {@code $DAGCTL_OUTPUT} (names to JSON values: string, number, boolean, list, object), bounded by the worker.
 */
public record TaskFinished(
        int v,
        String attemptId,
        String workerId,
        int exitCode,
        Outcome outcome,
        String stdoutTail,
        String stderrTail,
        Instant startedAt,
        Instant endedAt,
        String error,
        // left out when empty: a finished event without outputs is written as before they existed
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, Object> outputs)
        implements WorkerEvent {

    public TaskFinished {
        WorkerEvent.checkIds(attemptId, workerId, "TaskFinished");
        Required.field(outcome, "TaskFinished", "outcome");
        Required.field(endedAt, "TaskFinished", "ended_at");
        outputs = outputs == null || outputs.isEmpty()
                ? Map.of()
                : Collections.unmodifiableMap(new LinkedHashMap<>(outputs));
    }

    /** The same end with another outcome and error, and no outputs (they were refused). */
    public TaskFinished withEnd(Outcome newOutcome, String newError) {
        return new TaskFinished(
                v,
                attemptId,
                workerId,
                exitCode,
                newOutcome,
                stdoutTail,
                stderrTail,
                startedAt,
                endedAt,
                newError,
                Map.of());
    }

    /** The same end, with the outputs the task wrote. */
    public TaskFinished withOutputs(Map<String, Object> taskOutputs) {
        return new TaskFinished(
                v,
                attemptId,
                workerId,
                exitCode,
                outcome,
                stdoutTail,
                stderrTail,
                startedAt,
                endedAt,
                error,
                taskOutputs);
    }

    public static TaskFinished of(
            String attemptId,
            String workerId,
            int exitCode,
            Outcome outcome,
            String stdoutTail,
            String stderrTail,
            Instant startedAt,
            Instant endedAt,
            String error) {
        return new TaskFinished(
                Events.SCHEMA_VERSION,
                attemptId,
                workerId,
                exitCode,
                outcome,
                stdoutTail,
                stderrTail,
                startedAt,
                endedAt,
                error,
                Map.of());
    }
}
