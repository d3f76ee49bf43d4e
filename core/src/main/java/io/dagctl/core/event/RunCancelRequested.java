package io.dagctl.core.event;

import io.dagctl.core.model.RunId;
import java.time.Instant;

/** Asks the owner of a run to cancel every task of it that has not finished. */
public record RunCancelRequested(int v, String runId, Instant requestedAt, String reason) implements RunCommand {

    public RunCancelRequested {
        RunId.require(runId);
    }

    public static RunCancelRequested of(String runId, Instant requestedAt, String reason) {
        return new RunCancelRequested(Events.SCHEMA_VERSION, runId, requestedAt, reason);
    }
}
