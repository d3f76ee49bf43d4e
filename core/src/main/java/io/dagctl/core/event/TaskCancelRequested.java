package io.dagctl.core.event;

import java.time.Instant;

/** Tells the worker running an attempt to stop it (the run was cancelled); on the control topic, read by every worker. */
public record TaskCancelRequested(int v, String attemptId, Instant at, String reason) {

    public static TaskCancelRequested of(String attemptId, Instant at, String reason) {
        return new TaskCancelRequested(Events.SCHEMA_VERSION, attemptId, at, reason);
    }
}
