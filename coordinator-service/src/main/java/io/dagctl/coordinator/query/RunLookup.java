package io.dagctl.coordinator.query;

/** The answer to "where is run X, and what does it look like": its report, its summary, a page of its tasks. */
public sealed interface RunLookup<T> {

    record Found<T>(T value) implements RunLookup<T> {}

    record NotFound<T>() implements RunLookup<T> {}

    /** Another coordinator instance owns the run; ask it at {@code hostPort}. */
    record Elsewhere<T>(String hostPort) implements RunLookup<T> {}

    /** No instance can answer now (starting, rebalancing, restoring state). */
    record Unavailable<T>(String reason) implements RunLookup<T> {}
}
