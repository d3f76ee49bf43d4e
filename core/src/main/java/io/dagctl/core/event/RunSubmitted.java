package io.dagctl.core.event;

import io.dagctl.core.model.DagSpec;
import java.time.Instant;
import java.util.Map;

/** A new run of a validated DAG. {@code idempotencyKey} may be null. */
public record RunSubmitted(
        int v, String runId, DagSpec dag, Map<String, String> params, Instant submittedAt, String idempotencyKey)
        implements RunCommand {

    public RunSubmitted {
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    public static RunSubmitted of(String runId, DagSpec dag, Instant submittedAt) {
        return new RunSubmitted(Events.SCHEMA_VERSION, runId, dag, Map.of(), submittedAt, null);
    }
}
