package io.dagctl.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/** A record on the commands topic, keyed by run id. Only the run's owning coordinator acts on it. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
    @JsonSubTypes.Type(value = RunSubmitted.class, name = "RunSubmitted"),
    @JsonSubTypes.Type(value = RunCancelRequested.class, name = "RunCancelRequested"),
    @JsonSubTypes.Type(value = TaskRetryRequested.class, name = "TaskRetryRequested"),
    @JsonSubTypes.Type(value = RunReleased.class, name = "RunReleased"),
    @JsonSubTypes.Type(value = PoolSlotGranted.class, name = "PoolSlotGranted")
})
public sealed interface RunCommand
        permits RunSubmitted, RunCancelRequested, TaskRetryRequested, RunReleased, PoolSlotGranted {
    String runId();
}
