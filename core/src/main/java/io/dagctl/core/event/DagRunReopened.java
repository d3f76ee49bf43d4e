package io.dagctl.core.event;

import io.dagctl.core.model.RunId;
import java.time.Instant;

/**
 * A finished run of a stored DAG was retried and runs again: its DAG's owner counts it as unfinished once more, so that
 * the schedule's {@code overlap} rule sees it, until its {@link DagRunEnded} comes.
 *
 * @param name the DAG's name (the record's key)
 * @param runId the run that runs again
 * @param at when its owner reopened it
 */
public record DagRunReopened(int v, String name, String runId, Instant at) implements DagCommand {

    public DagRunReopened {
        Required.field(name, "DagRunReopened", "name");
        RunId.require(runId);
        Required.field(at, "DagRunReopened", "at");
    }

    public static DagRunReopened of(String name, String runId, Instant at) {
        return new DagRunReopened(Events.SCHEMA_VERSION, name, runId, at);
    }

    @Override
    public String requestId() {
        return null;
    }
}
