package io.dagctl.core.event;

import java.time.Instant;

/**
 * A state change of a run or of one of its tasks, on the events topic keyed by run id, in the order the run's owner
 * applied them. {@code task} is null for a change of the run itself.
 */
public record RunEvent(
        int v,
        String runId,
        Instant at,
        String task,
        int attempt,
        String status,
        String workerId,
        Integer exitCode,
        String error) {

    public static RunEvent ofRun(String runId, Instant at, String status) {
        return new RunEvent(Events.SCHEMA_VERSION, runId, at, null, 0, status, null, null, null);
    }

    public static RunEvent ofTask(
            String runId,
            Instant at,
            String task,
            int attempt,
            String status,
            String workerId,
            Integer exitCode,
            String error) {
        return new RunEvent(Events.SCHEMA_VERSION, runId, at, task, attempt, status, workerId, exitCode, error);
    }

    public boolean isRunEnd() {
        return task == null && ("SUCCESS".equals(status) || "FAILED".equals(status) || "CANCELLED".equals(status));
    }
}
