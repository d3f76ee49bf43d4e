package io.dagctl.core.event;

import java.time.Instant;

/** Asks the owner of a run to cancel every task of it that has not finished. */
public record RunCancelRequested(int v, String runId, Instant requestedAt, String reason) implements RunCommand {

    public static RunCancelRequested of(String runId, Instant requestedAt, String reason) {
        return new RunCancelRequested(Events.SCHEMA_VERSION, runId, requestedAt, reason);
    }
}
