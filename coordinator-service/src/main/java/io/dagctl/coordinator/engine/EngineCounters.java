package io.dagctl.coordinator.engine;

import java.util.concurrent.atomic.AtomicLong;

/** What the engine counts, for metrics and tests. Counts are per process, since its start. */
public final class EngineCounters {

    public final AtomicLong runsSubmitted = new AtomicLong();
    public final AtomicLong duplicateSubmissions = new AtomicLong();
    public final AtomicLong tasksDispatched = new AtomicLong();
    public final AtomicLong tasksSucceeded = new AtomicLong();
    public final AtomicLong tasksFailed = new AtomicLong();
    public final AtomicLong retries = new AtomicLong();
    public final AtomicLong lostAttempts = new AtomicLong();
    public final AtomicLong zombieReports = new AtomicLong();
    public final AtomicLong deadLetters = new AtomicLong();
}
