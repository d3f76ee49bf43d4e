package io.dagctl.core.event;

import java.time.Instant;

public record TaskHeartbeat(int v, String attemptId, String workerId, Instant at) implements WorkerEvent {

    public static TaskHeartbeat of(String attemptId, String workerId, Instant at) {
        return new TaskHeartbeat(Events.SCHEMA_VERSION, attemptId, workerId, at);
    }
}
