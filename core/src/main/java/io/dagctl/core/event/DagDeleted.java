package io.dagctl.core.event;

import java.time.Instant;

/** Removes a stored DAG from the listing; its versions stay, so that its runs can still show what they ran. */
public record DagDeleted(int v, String name, String requestId, Instant at) implements DagCommand {

    public DagDeleted {
        Required.field(name, "DagDeleted", "name");
        Required.field(at, "DagDeleted", "at");
    }

    public static DagDeleted of(String name, String requestId, Instant at) {
        return new DagDeleted(Events.SCHEMA_VERSION, name, requestId, at);
    }
}
