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
        RunStatus lastRunStatus) {

    public DagSummary {
        params = params == null ? List.of() : List.copyOf(params);
    }
}
