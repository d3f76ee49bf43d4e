package io.dagctl.core.event;

import io.dagctl.core.model.RunId;
import java.time.Instant;
import java.util.Map;

/**
 * Starts a run of a stored DAG: its owner writes the {@link RunSubmitted} of the version named here (the one the
 * parameters were checked against), under the run id chosen by the API.
 *
 * @param params already checked against that version's declarations, defaults filled in
 * @param trigger what started it: {@link RunSubmitted#TRIGGER_MANUAL} or {@link RunSubmitted#TRIGGER_API}
 */
public record DagTriggered(
        int v,
        String name,
        int version,
        Map<String, String> params,
        String runId,
        String trigger,
        String idempotencyKey,
        String submissionId,
        String requestId,
        Instant at)
        implements DagCommand {

    public DagTriggered {
        Required.field(name, "DagTriggered", "name");
        RunId.require(runId);
        Required.field(at, "DagTriggered", "at");
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    public static DagTriggered of(
            String name,
            int version,
            Map<String, String> params,
            String runId,
            String trigger,
            String idempotencyKey,
            String submissionId,
            Instant at) {
        return new DagTriggered(
                Events.SCHEMA_VERSION,
                name,
                version,
                params,
                runId,
                trigger,
                idempotencyKey,
                submissionId,
                submissionId,
                at);
    }
}
