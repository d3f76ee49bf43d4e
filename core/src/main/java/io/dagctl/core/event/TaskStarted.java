package io.dagctl.core.event;

import java.time.Instant;

/** A worker started an attempt's process. */
public record TaskStarted(int v, String attemptId, String workerId, Instant startedAt) implements WorkerEvent {

    public TaskStarted {
        WorkerEvent.checkIds(attemptId, workerId, "TaskStarted");
        Required.field(startedAt, "TaskStarted", "started_at");
    }

    public static TaskStarted of(String attemptId, String workerId, Instant startedAt) {
        return new TaskStarted(Events.SCHEMA_VERSION, attemptId, workerId, startedAt);
    }
}
