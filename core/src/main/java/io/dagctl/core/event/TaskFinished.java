package io.dagctl.core.event;

import java.time.Instant;

/**
 * The end of an attempt. {@code exitCode} is -1 when the process did not exit by itself; {@code error} explains an
 * outcome that the exit code does not (a timeout, a launch failure), or is null.
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
        String error)
        implements WorkerEvent {

    public TaskFinished {
        WorkerEvent.checkIds(attemptId, workerId, "TaskFinished");
        Required.field(outcome, "TaskFinished", "outcome");
        Required.field(endedAt, "TaskFinished", "ended_at");
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
                error);
    }
}
