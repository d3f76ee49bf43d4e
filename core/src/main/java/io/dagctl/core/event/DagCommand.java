package io.dagctl.core.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A record on the DAGs topic, keyed by DAG name (or pool key: pools are owned the same way). Only the coordinator instance that owns the name's partition acts on
 * it, in order: stored DAGs change through their owner alone, as runs do.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "event")
@JsonSubTypes({
    @JsonSubTypes.Type(value = DagApplied.class, name = "DagApplied"),
    @JsonSubTypes.Type(value = DagPauseSet.class, name = "DagPauseSet"),
    @JsonSubTypes.Type(value = DagDeleted.class, name = "DagDeleted"),
    @JsonSubTypes.Type(value = DagTriggered.class, name = "DagTriggered"),
    @JsonSubTypes.Type(value = DagRunEnded.class, name = "DagRunEnded"),
    @JsonSubTypes.Type(value = DagRunReopened.class, name = "DagRunReopened"),
    @JsonSubTypes.Type(value = DagBackfillRequested.class, name = "DagBackfillRequested"),
    @JsonSubTypes.Type(value = DagBackfillCancelled.class, name = "DagBackfillCancelled"),
    @JsonSubTypes.Type(value = PoolSet.class, name = "PoolSet"),
    @JsonSubTypes.Type(value = PoolSlotRequested.class, name = "PoolSlotRequested"),
    @JsonSubTypes.Type(value = PoolSlotReleased.class, name = "PoolSlotReleased")
})
public sealed interface DagCommand
        permits DagApplied,
                DagPauseSet,
                DagDeleted,
                DagTriggered,
                DagRunEnded,
                DagRunReopened,
                DagBackfillRequested,
                DagBackfillCancelled,
                PoolCommand {

    /** The DAG's name (a pool's command: {@link io.dagctl.core.model.Pools#key}): the record's key. */
    String name();

    /** The API request that wrote it (the API reads its outcome back by it), or null when no API request did. */
    String requestId();
}
