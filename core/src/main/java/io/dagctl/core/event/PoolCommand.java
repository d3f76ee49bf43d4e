package io.dagctl.core.event;

import io.dagctl.core.model.Pools;

/** A command about a pool, on the DAGs topic under the pool's key ({@link Pools#key}): its owner acts on it. */
public sealed interface PoolCommand extends DagCommand permits PoolSet, PoolSlotRequested, PoolSlotReleased {

    String pool();

    /** The record's key: the pool's, not a DAG's name. */
    @Override
    default String name() {
        return Pools.key(pool());
    }

    /** Null but for a size set through the API: claims and releases come from runs' owners. */
    @Override
    default String requestId() {
        return null;
    }

    /** Refuses a name that is not a pool's: it is part of a store key and a metric label. */
    static void requireName(String pool) {
        if (!Pools.isValid(pool)) {
            throw new IllegalArgumentException("invalid pool name '" + pool + "': " + Pools.NAME_RULE + " characters");
        }
    }
}
