package io.dagctl.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.RunId;

/** What a worker reports about an attempt, on the results topic keyed by run id. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
    @JsonSubTypes.Type(value = TaskStarted.class, name = "TaskStarted"),
    @JsonSubTypes.Type(value = TaskHeartbeat.class, name = "TaskHeartbeat"),
    @JsonSubTypes.Type(value = TaskFinished.class, name = "TaskFinished")
})
public sealed interface WorkerEvent permits TaskStarted, TaskHeartbeat, TaskFinished {
    String attemptId();

    String workerId();

    default AttemptId attempt() {
        return AttemptId.parse(attemptId());
    }

    /** The attempt id must parse (and name a valid run id); the worker must say who it is. */
    static void checkIds(String attemptId, String workerId, String event) {
        RunId.require(
                AttemptId.parse(Required.field(attemptId, event, "attempt_id")).runId());
        Required.field(workerId, event, "worker_id");
    }
}
