package io.dagctl.core.report;

import io.dagctl.core.model.TaskStatus;
import java.time.Instant;

/** One task's line of a run report. Times are null until they happen; {@code exitCode} null until it exits. */
public record TaskReport(
        String name,
        TaskStatus status,
        int attempts,
        Integer exitCode,
        Instant startedAt,
        Instant endedAt,
        Long durationMs,
        String workerId,
        String stdoutTail,
        String stderrTail,
        String error) {}
