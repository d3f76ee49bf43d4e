package io.dagctl.core.report;

import java.time.Instant;

/**
 * An earlier attempt of a task, as its task panel and timeline show it.
 *
 * @param outcome how it ended: {@code FAILED}, {@code TIMED_OUT}, {@code LOST} (its worker went silent or gave it
 *     back), {@code NOT_STARTED}, or the status the run's retry found it in
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
