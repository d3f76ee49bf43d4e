package io.dagctl.coordinator.query;

import io.dagctl.coordinator.engine.DagEntry;
import io.dagctl.coordinator.engine.DagVersionEntry;

/** The answer to "where is stored DAG X and what is in it". */
public sealed interface DagLookup {

    /**
     * @param version the version asked for (the latest when none was), or null when there is no such version
     * @param latest the latest version (the same as {@code version} when that was asked for), or null when missing
     */
    record Found(DagEntry entry, DagVersionEntry version, DagVersionEntry latest) implements DagLookup {}

    record NotFound() implements DagLookup {}

    /** Another coordinator instance owns the DAG's partition; ask it at {@code hostPort}. */
    record Elsewhere(String hostPort) implements DagLookup {}

    /** No instance can answer now (starting, rebalancing, restoring state). */
    record Unavailable(String reason) implements DagLookup {}
}
