package io.dagctl.core.report;

import io.dagctl.core.model.RunStatus;
import java.time.Instant;

/** One line of a run listing: the run without its tasks. */
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
        Instant logicalDate) {}
