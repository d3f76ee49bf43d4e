package io.dagctl.core.event;

import java.time.Instant;

/** A running attempt is still running on this worker. */
public record TaskHeartbeat(int v, String attemptId, String workerId, Instant at) implements WorkerEvent {

    public TaskHeartbeat {
        WorkerEvent.checkIds(attemptId, workerId, "TaskHeartbeat");
        Required.field(at, "TaskHeartbeat", "at");
    }

    public static TaskHeartbeat of(String attemptId, String workerId, Instant at) {
        return new TaskHeartbeat(Events.SCHEMA_VERSION, attemptId, workerId, at);
    }
}
