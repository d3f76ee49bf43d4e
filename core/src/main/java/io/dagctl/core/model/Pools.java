package io.dagctl.core.model;

import java.util.regex.Pattern;

/**
 * Cluster-wide pools: a named number of slots that tasks of any run take while they are queued or running
 * ({@code pool:}, {@code pool_slots:}). A pool's count is kept by the coordinator that owns the partition of its name
 * on the DAGs topic, under the key {@link #key}.
 */
public final class Pools {

    /** Letters, digits, '_' and '-', up to 64: a metric label and part of a store key. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public static final String NAME_RULE = "letters, digits, '_' and '-', starting with a letter or digit, at most 64";
    /** The most slots a pool may have, and a task may take. */
    public static final int MAX_SLOTS = 100_000;
    /** Prefixes a pool's key on the DAGs topic: a DAG's name cannot hold '/', so no DAG shares it. */
    private static final String KEY_PREFIX = "pool/";

    private Pools() {}

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The key of the pool's records on the DAGs topic. */
    public static String key(String pool) {
        return KEY_PREFIX + pool;
    }

    /** Who holds (or waits for) slots: one attempt's claim, numbered per task so that a stale release is told apart. */
    public static String holder(String runId, String task, int claim) {
        return runId + "/" + task + "#" + claim;
    }
}
