package io.dagctl.coordinator.engine;

/** The stored DAGs of one partition, as the DAG state machine reads and writes them. */
interface DagStore {

    DagEntry entry(String name);

    void put(DagEntry entry);

    DagVersionEntry version(String name, int version);

    void put(DagVersionEntry version);
}
