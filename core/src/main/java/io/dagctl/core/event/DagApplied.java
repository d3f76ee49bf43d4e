package io.dagctl.core.event;

import io.dagctl.core.model.DagSpec;
import java.time.Instant;

/** Stores a DAG under its name: a new version, unless it is the same as the latest (then nothing changes). */
public record DagApplied(int v, String name, DagSpec dag, String requestId, Instant at) implements DagCommand {

    public DagApplied {
        Required.field(name, "DagApplied", "name");
        Required.field(dag, "DagApplied", "dag");
        Required.field(at, "DagApplied", "at");
        if (!name.equals(dag.name())) {
            throw new IllegalArgumentException("DagApplied for '" + name + "' carries DAG '" + dag.name() + "'");
        }
    }

    public static DagApplied of(DagSpec dag, String requestId, Instant at) {
        return new DagApplied(Events.SCHEMA_VERSION, dag.name(), dag, requestId, at);
    }
}
