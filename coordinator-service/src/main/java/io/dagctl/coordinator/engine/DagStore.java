package io.dagctl.coordinator.engine;

import java.time.Instant;
import java.util.List;

/** The stored DAGs of one partition, as the DAG state machine reads and writes them. */
interface DagStore {

    DagEntry entry(String name);

    void put(DagEntry entry);

    DagVersionEntry version(String name, int version);

    void put(DagVersionEntry version);

    /** The names of the DAGs whose tick is due by {@code now} (at most {@code limit}), taken off the store. */
    List<String> takeDueTicks(Instant now, int limit);

    void scheduleTick(String name, Instant at);

    void cancelTick(String name, Instant at);
}
