package io.dagctl.core.event;

import java.time.Instant;

/** Tells the worker running an attempt to stop it; on the control topic, which every worker reads. */
public record TaskCancelRequested(int v, String attemptId, Instant at, String reason) {

    public static TaskCancelRequested of(String attemptId, Instant at, String reason) {
        return new TaskCancelRequested(Events.SCHEMA_VERSION, attemptId, at, reason);
    }
}
