package io.dagctl.core.event;

import io.dagctl.core.model.RunId;
import java.time.Instant;

/**
 * Tells the owner of a run that waits {@code QUEUED} under its DAG's {@code max_active_runs} that it may start now. Sent
 * by the DAG's owner when one of the DAG's runs ended (or the limit was raised); ignored by a run that no longer
 * waits (cancelled meanwhile).
 */
public record RunReleased(int v, String runId, Instant releasedAt) implements RunCommand {

    public RunReleased {
        RunId.require(runId);
    }

    public static RunReleased of(String runId, Instant releasedAt) {
        return new RunReleased(Events.SCHEMA_VERSION, runId, releasedAt);
    }
}
