package io.dagctl.core.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dagctl.core.model.RunId;
import io.dagctl.core.model.RunStatus;
import java.time.Instant;

/**
 * A run of a stored DAG ended: written by the run's owner to the DAG's owner, which lets a tick that waited for it
 * ({@code overlap: queue_one}) go, knows the DAG's unfinished runs for the next tick's overlap policy, and starts a
 * backfill's next tick.
 *
 * @param alreadyRan true when no run was started: a backfill asked for the run of a tick that already had one (its
 *     status is that run's, ended or not); null (false) in every other case
 */
public record DagRunEnded(
        int v,
        String name,
        String runId,
        RunStatus status,
        Instant at,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean alreadyRan)
        implements DagCommand {

    public DagRunEnded {
        Required.field(name, "DagRunEnded", "name");
        RunId.require(runId);
        Required.field(status, "DagRunEnded", "status");
        Required.field(at, "DagRunEnded", "at");
        alreadyRan = Boolean.TRUE.equals(alreadyRan) ? Boolean.TRUE : null;
    }

    public static DagRunEnded of(String name, String runId, RunStatus status, Instant at) {
        return new DagRunEnded(Events.SCHEMA_VERSION, name, runId, status, at, null);
    }

    /** The run a backfill asked for existed before it: nothing was started, and the backfill counts the tick done. */
    public static DagRunEnded alreadyRan(String name, String runId, RunStatus status, Instant at) {
        return new DagRunEnded(Events.SCHEMA_VERSION, name, runId, status, at, true);
    }

    public boolean existedBefore() {
        return Boolean.TRUE.equals(alreadyRan);
    }

    @Override
    public String requestId() {
        return null;
    }
}
