package io.dagctl.core.event;

import java.time.Instant;

/**
 * Asks the owner of a finished run to run its failed, timed-out, upstream-failed and cancelled tasks again, keeping
 * what succeeded. {@code task} names one of them, or is null for all.
 */
public record TaskRetryRequested(int v, String runId, String task, Instant requestedAt) implements RunCommand {

    /** @param task the one task to retry, or null for every unsuccessful task of the run */
    public static TaskRetryRequested of(String runId, String task, Instant requestedAt) {
        return new TaskRetryRequested(Events.SCHEMA_VERSION, runId, task, requestedAt);
    }
}
