package io.dagctl.core.report;

import java.time.Instant;

/**
 * An earlier attempt of a task, as its task panel and timeline show it.
 *
 * @param outcome how it ended: {@code FAILED}, {@code TIMED_OUT}, {@code LOST} (its worker went silent),
 *     {@code RELEASED} (its worker gave it back at shutdown), {@code NOT_STARTED}, or how it had ended when the run was
 *     retried ({@code CANCELLED}, ...)
 * @param endedAt when it ended, or was given up as lost
 * @param queuedAt when it became ready; {@code startedAt} when a worker started it (null: never started)
 */
public record AttemptReport(
        int attempt,
        String outcome,
        Instant queuedAt,
        Instant startedAt,
        Instant endedAt,
        String workerId,
        Integer exitCode,
        String error) {}
