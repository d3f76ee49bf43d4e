package io.dagctl.coordinator.query;

import io.dagctl.core.report.RunReport;

/** The answer to "where is run X and what is its state". */
public sealed interface RunLookup {

    record Found(RunReport report) implements RunLookup {}

    record NotFound() implements RunLookup {}

    /** Another coordinator instance owns the run; ask it at {@code hostPort}. */
    record Elsewhere(String hostPort) implements RunLookup {}

    /** No instance can answer now (starting, rebalancing, restoring state). */
    record Unavailable(String reason) implements RunLookup {}
}
