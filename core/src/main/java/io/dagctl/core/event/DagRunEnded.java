package io.dagctl.core.event;

import io.dagctl.core.model.RunId;
import io.dagctl.core.model.RunStatus;
import java.time.Instant;

/**
 * A run of a stored DAG ended: written by the run's owner to the DAG's owner, which lets a tick that waited for it
 * ({@code overlap: queue_one}) go, and knows the DAG's unfinished runs for the next tick's overlap policy.
 */
public record DagRunEnded(int v, String name, String runId, RunStatus status, Instant at) implements DagCommand {

    public DagRunEnded {
        Required.field(name, "DagRunEnded", "name");
        RunId.require(runId);
        Required.field(status, "DagRunEnded", "status");
        Required.field(at, "DagRunEnded", "at");
    }

    public static DagRunEnded of(String name, String runId, RunStatus status, Instant at) {
        return new DagRunEnded(Events.SCHEMA_VERSION, name, runId, status, at);
    }

    @Override
    public String requestId() {
        return null;
    }
}
