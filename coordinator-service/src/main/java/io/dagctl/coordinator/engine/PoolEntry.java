package io.dagctl.coordinator.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A cluster-wide pool as its owner keeps it (store {@link StoreNames#POOLS}, keyed by name). Its claims and waiting line
 * are keys of their own, so that a pool thousands of tasks wait for stays a small entry.
 *
 * @param slots how many slots it has; null while no one set it (tasks that name it wait)
 * @param inUse the slots its granted claims hold (above {@code slots} after a shrink, until they end)
 * @param waiting how many claims wait for slots
 * @param nextSeq the number the next waiting claim gets: the order of equal priorities
 * @param outcomes what the owner made of the last API requests, by request id
 */
public record PoolEntry(
        String name,
        Integer slots,
        int inUse,
        int waiting,
        long nextSeq,
        Instant updatedAt,
        Map<String, DagEntry.Outcome> outcomes) {

    public PoolEntry {
        outcomes = outcomes == null ? Map.of() : outcomes;
    }

    /** A pool a task named before anyone set its size. */
    static PoolEntry unset(String name, Instant at) {
        return new PoolEntry(name, null, 0, 0, 0, at, null);
    }

    /** How many slots are free now (none while over its size, or unset). */
    public int free() {
        return slots == null ? 0 : Math.max(0, slots - inUse);
    }

    PoolEntry withSlots(int slots, Instant at) {
        return new PoolEntry(name, slots, inUse, waiting, nextSeq, at, outcomes);
    }

    PoolEntry withWaiter() {
        return new PoolEntry(name, slots, inUse, waiting + 1, nextSeq + 1, updatedAt, outcomes);
    }

    PoolEntry withoutWaiter() {
        return new PoolEntry(name, slots, inUse, waiting - 1, nextSeq, updatedAt, outcomes);
    }

    PoolEntry withGranted(int taken) {
        return new PoolEntry(name, slots, inUse + taken, waiting - 1, nextSeq, updatedAt, outcomes);
    }

    PoolEntry withFreed(int given) {
        return new PoolEntry(name, slots, Math.max(0, inUse - given), waiting, nextSeq, updatedAt, outcomes);
    }

    PoolEntry withOutcome(String requestId, DagEntry.Outcome outcome) {
        if (requestId == null) {
            return this;
        }
        Map<String, DagEntry.Outcome> kept = new LinkedHashMap<>(outcomes);
        kept.put(requestId, outcome);
        while (kept.size() > DagEntry.MAX_OUTCOMES) {
            kept.remove(kept.keySet().iterator().next());
        }
        return new PoolEntry(name, slots, inUse, waiting, nextSeq, updatedAt, kept);
    }
}
