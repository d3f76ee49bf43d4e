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
 * @param traceId the OpenTelemetry trace id of the run (look it up in Jaeger), or null
 * @param error why the run ended without its tasks deciding it (a cancel's reason, a record the coordinator could not
 *     apply), or null
 * @param submissionId the id of the submission that created the run
 * @param submissionDigest the digest of its DAG and parameters (a repeated idempotency key must match it)
 */
public record RunReport(
        String runId,
        String dag,
        RunStatus status,
        Instant submittedAt,
        Instant startedAt,
        Instant endedAt,
        Long durationMs,
        List<TaskReport> tasks,
        String traceId,
        String error,
        String submissionId,
        String submissionDigest) {

    public RunReport {
        tasks = List.copyOf(tasks);
    }

    public Map<TaskStatus, Long> countByStatus() {
        Map<TaskStatus, Long> counts = new TreeMap<>();
        for (TaskReport task : tasks) {
            counts.merge(task.status(), 1L, Long::sum);
        }
        return counts;
    }
}
