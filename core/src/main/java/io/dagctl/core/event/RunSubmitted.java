package io.dagctl.core.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.RunId;
import java.time.Instant;
import java.util.Map;

/**
 * A new run of a validated DAG.
 *
 * @param idempotencyKey the client's key, or null
 * @param submissionId this submission's own random id: the API reads it back from the run to tell its run from one
 *     that already had the id (a repeated idempotency key, or a collision)
 * @param digest {@link Submissions#digest} of the DAG and parameters: a repeated idempotency key with another body is
 *     refused by comparing it
 * @param dagVersion the version of the stored DAG it runs, or null for a DAG posted with the run
 * @param trigger what started it: {@code api} (a DAG posted with the run), {@code manual} ({@code dagctl trigger}),
 *     {@code schedule} (a tick of its schedule), {@code backfill} (a tick of a backfill's window); null in records written before it existed (read as {@code api})
 * @param logicalDate the moment the run stands for (tasks see it as {@code DAGCTL_LOGICAL_DATE}): when it was
 *     submitted or triggered; null in records written before it existed (read as {@code submittedAt})
 * @param queued true when the run must wait, {@code QUEUED}, for its DAG's owner to let it start ({@link RunReleased}):
 *     the DAG had {@code max_active_runs} runs running; null (left out) otherwise
 */
public record RunSubmitted(
        int v,
        String runId,
        DagSpec dag,
        Map<String, String> params,
        Instant submittedAt,
        String idempotencyKey,
        String submissionId,
        String digest,
        Integer dagVersion,
        String trigger,
        Instant logicalDate,
        @JsonInclude(JsonInclude.Include.NON_NULL) Boolean queued)
        implements RunCommand {

    public static final String TRIGGER_API = "api";
    public static final String TRIGGER_MANUAL = "manual";
    public static final String TRIGGER_SCHEDULE = "schedule";
    public static final String TRIGGER_BACKFILL = "backfill";

    public RunSubmitted {
        RunId.require(runId);
        Required.field(dag, "RunSubmitted", "dag");
        Required.field(submittedAt, "RunSubmitted", "submitted_at");
        params = params == null ? Map.of() : Map.copyOf(params);
        trigger = trigger == null ? TRIGGER_API : trigger;
        logicalDate = logicalDate == null ? submittedAt : logicalDate;
        queued = Boolean.TRUE.equals(queued) ? Boolean.TRUE : null;
    }

    /** Whether the run waits for its DAG's owner to let it start. */
    public boolean waitsForRelease() {
        return queued != null;
    }

    /** The same run, to wait {@code QUEUED} until its DAG's owner lets it start. */
    public RunSubmitted asQueued() {
        return new RunSubmitted(
                v,
                runId,
                dag,
                params,
                submittedAt,
                idempotencyKey,
                submissionId,
                digest,
                dagVersion,
                trigger,
                logicalDate,
                true);
    }

    public static RunSubmitted of(String runId, DagSpec dag, Instant submittedAt) {
        return of(runId, dag, Map.of(), submittedAt, null, Submissions.newId());
    }

    public static RunSubmitted of(
            String runId,
            DagSpec dag,
            Map<String, String> params,
            Instant submittedAt,
            String idempotencyKey,
            String submissionId) {
        return stamped(runId, dag, null, params, TRIGGER_API, submittedAt, submittedAt, idempotencyKey, submissionId);
    }

    /** The run of a stored DAG's schedule tick {@code logicalDate}, with its parameters' defaults. */
    public static RunSubmitted scheduled(
            String runId,
            DagSpec dag,
            int dagVersion,
            Map<String, String> params,
            Instant logicalDate,
            Instant submittedAt) {
        return stamped(
                runId, dag, dagVersion, params, TRIGGER_SCHEDULE, logicalDate, submittedAt, null, Submissions.newId());
    }

    /** The run of tick {@code logicalDate} of a backfill of a stored DAG. */
    public static RunSubmitted backfilled(
            String runId,
            DagSpec dag,
            int dagVersion,
            Map<String, String> params,
            Instant logicalDate,
            Instant submittedAt) {
        return stamped(
                runId, dag, dagVersion, params, TRIGGER_BACKFILL, logicalDate, submittedAt, null, Submissions.newId());
    }

    /** A run of version {@code dagVersion} of a stored DAG. */
    public static RunSubmitted ofStored(
            String runId,
            DagSpec dag,
            int dagVersion,
            Map<String, String> params,
            String trigger,
            Instant submittedAt,
            String idempotencyKey,
            String submissionId) {
        return stamped(runId, dag, dagVersion, params, trigger, submittedAt, submittedAt, idempotencyKey, submissionId);
    }

    /** With the schema version and the digest of its DAG and parameters. */
    private static RunSubmitted stamped(
            String runId,
            DagSpec dag,
            Integer dagVersion,
            Map<String, String> params,
            String trigger,
            Instant logicalDate,
            Instant submittedAt,
            String idempotencyKey,
            String submissionId) {
        return new RunSubmitted(
                Events.SCHEMA_VERSION,
                runId,
                dag,
                params,
                submittedAt,
                idempotencyKey,
                submissionId,
                Submissions.digest(dag, params),
                dagVersion,
                trigger,
                logicalDate,
                null);
    }
}
