package io.dagctl.core.event;

import java.time.Instant;

public record TaskStarted(int v, String attemptId, String workerId, Instant startedAt) implements WorkerEvent {

    public static TaskStarted of(String attemptId, String workerId, Instant startedAt) {
        return new TaskStarted(Events.SCHEMA_VERSION, attemptId, workerId, startedAt);
    }
}
