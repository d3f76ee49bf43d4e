package io.dagctl.core.event;

import java.time.Instant;

/** Pauses a stored DAG (it takes no new runs) or unpauses it. */
public record DagPauseSet(int v, String name, boolean paused, String requestId, Instant at) implements DagCommand {

    public DagPauseSet {
        Required.field(name, "DagPauseSet", "name");
        Required.field(at, "DagPauseSet", "at");
    }

    public static DagPauseSet of(String name, boolean paused, String requestId, Instant at) {
        return new DagPauseSet(Events.SCHEMA_VERSION, name, paused, requestId, at);
    }
}
