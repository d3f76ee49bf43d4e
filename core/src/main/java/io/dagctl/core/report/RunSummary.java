package io.dagctl.core.report;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import java.time.Instant;
import java.util.Map;

/**
 * One line of a run listing: the run without its tasks.
 *
 * @param taskCounts how many of its tasks are in each status, where it is read with them (listings and {@code GET
 *     /runs/{id}/summary}); null in the index, which does not change with every task
 */
public record RunSummary(
        String runId,
        String dag,
        RunStatus status,
        Instant submittedAt,
        Instant startedAt,
        Instant endedAt,
        Long durationMs,
        int taskCount,
        int failedTasks,
        String trigger,
        Instant logicalDate,
        @JsonInclude(JsonInclude.Include.NON_NULL) Map<TaskStatus, Integer> taskCounts) {

    /** The same summary with how many of its tasks are in each status. */
    public RunSummary withTaskCounts(Map<TaskStatus, Integer> counts) {
        return new RunSummary(
                runId,
                dag,
                status,
                submittedAt,
                startedAt,
                endedAt,
                durationMs,
                taskCount,
                failedTasks,
                trigger,
                logicalDate,
                counts);
    }
}
