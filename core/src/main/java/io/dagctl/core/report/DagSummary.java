package io.dagctl.core.report;

import io.dagctl.core.model.RunStatus;
import java.time.Instant;
import java.util.List;

/**
 * A stored DAG as {@code GET /api/v1/dags} and {@code dagctl dags list} show it.
 *
 * @param version its latest version
 * @param tasks how many tasks the latest version has
 * @param params the parameters its runs take (names, in declaration order)
 * @param lastRunStatus the last run's status when it could be read, else null
 * @param schedule the latest version's schedule as written ({@code 0 2 * * * Europe/Berlin}, {@code every 30s}), or
 *     null
 * @param nextRunAt its next tick, or null (no schedule, paused, past its end)
 * @param maxActiveRuns the latest version's {@code max_active_runs}, or null (no limit)
 * @param activeRuns its triggered and scheduled runs that have not ended and do not wait
 * @param waitingRuns its runs that wait {@code QUEUED} for a place under {@code max_active_runs}, oldest first
 */
public record DagSummary(
        String name,
        int version,
        boolean paused,
        Instant createdAt,
        Instant updatedAt,
        int tasks,
        List<String> params,
        String lastRunId,
        Instant lastRunAt,
        RunStatus lastRunStatus,
        String schedule,
        Instant nextRunAt,
        Integer maxActiveRuns,
        int activeRuns,
        List<String> waitingRuns) {

    public DagSummary {
        params = params == null ? List.of() : List.copyOf(params);
        waitingRuns = waitingRuns == null ? List.of() : List.copyOf(waitingRuns);
    }

    /** The same row with the last run's status as read from the run itself. */
    public DagSummary withLastRunStatus(RunStatus status) {
        return new DagSummary(
                name,
                version,
                paused,
                createdAt,
                updatedAt,
                tasks,
                params,
                lastRunId,
                lastRunAt,
                status,
                schedule,
                nextRunAt,
                maxActiveRuns,
                activeRuns,
                waitingRuns);
    }
}
