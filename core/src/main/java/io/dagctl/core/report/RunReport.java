package io.dagctl.core.report;

import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The state of a run as the API and {@code dagctl run -o json} show it.
 *
 * @param params the parameters the run started with, defaults included (what its tasks see as {@code
 *     DAGCTL_PARAM_NAME})
 * @param traceId the OpenTelemetry trace id of the run (look it up in Jaeger), or null
 * @param error why the run ended without its tasks deciding it (a cancel's reason, a record the coordinator could not
 *     apply), or null
 * @param submissionId the id of the submission that created the run
 * @param submissionDigest the digest of its DAG and parameters (a repeated idempotency key must match it)
 * @param dagVersion the version of the stored DAG it runs ({@code GET /api/v1/dags/{dag}/versions/{n}} shows it), or
 *     null for a DAG posted with the run
 * @param trigger what started it: {@code api} (a DAG posted with the run) or {@code manual} ({@code dagctl trigger})
 * @param logicalDate the moment the run stands for (its tasks see {@code DAGCTL_LOGICAL_DATE}): for these triggers,
 *     when it was submitted
 */
public record RunReport(
        String runId,
        String dag,
        Map<String, String> params,
        RunStatus status,
        Instant submittedAt,
        Instant startedAt,
        Instant endedAt,
        Long durationMs,
        List<TaskReport> tasks,
        String traceId,
        String error,
        String submissionId,
        String submissionDigest,
        Integer dagVersion,
        String trigger,
        Instant logicalDate) {

    public RunReport {
        tasks = List.copyOf(tasks);
        params = params == null ? Map.of() : params;
    }

    /** The same report with {@code newTasks} instead of its tasks. */
    public RunReport withTasks(List<TaskReport> newTasks) {
        return new RunReport(
                runId,
                dag,
                params,
                status,
                submittedAt,
                startedAt,
                endedAt,
                durationMs,
                newTasks,
                traceId,
                error,
                submissionId,
                submissionDigest,
                dagVersion,
                trigger,
                logicalDate);
    }

    public Map<TaskStatus, Long> countByStatus() {
        Map<TaskStatus, Long> counts = new TreeMap<>();
        for (TaskReport task : tasks) {
            counts.merge(task.status(), 1L, Long::sum);
        }
        return counts;
    }
}
