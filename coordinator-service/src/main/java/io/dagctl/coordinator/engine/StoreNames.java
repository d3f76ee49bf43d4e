package io.dagctl.coordinator.engine;

import java.time.Instant;

/**
 * The coordinator's state stores. Their changelogs ({@code <application.id>-<store>-changelog}, compacted) are the
 * durable state of every run; see docs/architecture.md for why they are not one {@code dagctl.state} topic.
 */
public final class StoreNames {

    /** runId → {@link RunEntry}. */
    public static final String RUNS = "runs";
    /** The runs ordered by time, DAG, status and end: see {@link RunIndex}. */
    public static final String RUN_INDEX = "run-index";
    /** runId/task → {@link TaskEntry}: one small entry per task, so a transition rewrites one task, not the run. */
    public static final String TASKS = "tasks";
    /**
     * dueAt/kind/attemptId → nothing: retry backoffs, leases and timeouts, fired by a wall-clock punctuator. Under
     * {@link #HELD_PREFIX} it also keeps the tasks that wait for a place among their run's {@code max_active_tasks}:
     * what waits for a place rather than a time, in the same store (and changelog) as what waits for a time.
     */
    public static final String TIMERS = "timers";
    /** Sorts after every timer key (they start with digits), so that no scan for due timers ever reaches it. */
    static final String HELD_PREFIX = "~held/";

    /** DAG name → {@link DagEntry}: the stored DAGs, owned through the partition of their name. */
    public static final String DAGS = "dags";
    /** name/version → {@link DagVersionEntry}: every version of every stored DAG. */
    public static final String DAG_VERSIONS = "dag-versions";
    /** dueAt/name → nothing: the next tick of each scheduled DAG, fired by the DAG owner's wall-clock punctuator. */
    public static final String DAG_TICKS = "dag-ticks";

    /**
     * The cluster-wide pools, owned through the partition of their key ({@link io.dagctl.core.model.Pools#key}): name →
     * {@link PoolEntry}; {@link #poolClaimKey} → {@link PoolClaim}; {@link #poolWaiterKey} → holder.
     */
    public static final String POOLS = "pools";

    private StoreNames() {}

    /** A claim on the pool (waiting or granted), by its holder. */
    static String poolClaimKey(String pool, String holder) {
        return pool + "/c/" + holder;
    }

    /** The first key of the pool's waiting line: higher priorities first, then in the order the requests came. */
    static String poolWaitersFrom(String pool) {
        return pool + "/w/";
    }

    static String poolWaitersTo(String pool) {
        return pool + "/w/\uffff";
    }

    static String poolWaiterKey(String pool, int priority, long seq) {
        return String.format("%s/w/%010d/%019d", pool, (long) Integer.MAX_VALUE - priority, seq);
    }

    /** Zero-padded, so that a prefix scan returns a DAG's versions in order. */
    public static String dagVersionKey(String name, int version) {
        return dagVersionPrefix(name) + String.format("%010d", version);
    }

    public static String dagVersionPrefix(String name) {
        return name + "/";
    }

    /** Zero-padded due time first, so that a range scan up to now finds the due ticks in order. */
    public static String dagTickKey(Instant dueAt, String name) {
        return String.format("%019d/%s", Math.max(0, dueAt.toEpochMilli()), name);
    }

    /** When the timer under a {@link #dagTickKey} is due. */
    static Instant dagTickDue(String key) {
        return Instant.ofEpochMilli(Long.parseLong(key.substring(0, 19)));
    }

    /**
     * A held task's key: its run, then its place in the DAG (declaration order; a mapped task's instances in list
     * order), so that a range scan returns the run's held tasks in the order they are let go.
     */
    static String heldKey(String runId, int index, int position) {
        return String.format("%s%s/%010d/%010d", HELD_PREFIX, runId, index, position + 1);
    }

    /** Every held key of a run sorts from this (included)... */
    static String heldFrom(String runId) {
        return HELD_PREFIX + runId + "/";
    }

    /** ...to this (excluded): run ids hold no '/', and '/' + 1 is '0'. */
    static String heldTo(String runId) {
        return HELD_PREFIX + runId + "0";
    }

    public static String taskKey(String runId, String task) {
        return runId + "/" + task;
    }

    /** The prefix shared by every task key of a run. */
    public static String taskPrefix(String runId) {
        return runId + "/";
    }
}
