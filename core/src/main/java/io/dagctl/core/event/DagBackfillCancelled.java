package io.dagctl.core.event;

import java.time.Instant;

/** Stops a backfill: no tick of it starts any more, and its runs still running are cancelled. */
public record DagBackfillCancelled(int v, String name, int backfill, String requestId, Instant at)
        implements DagCommand {

    public DagBackfillCancelled {
        Required.field(name, "DagBackfillCancelled", "name");
        Required.field(at, "DagBackfillCancelled", "at");
    }

    public static DagBackfillCancelled of(String name, int backfill, String requestId, Instant at) {
        return new DagBackfillCancelled(Events.SCHEMA_VERSION, name, backfill, requestId, at);
    }
}
