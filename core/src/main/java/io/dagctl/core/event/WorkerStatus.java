package io.dagctl.core.event;

import java.time.Instant;

/**
 * A worker's status on the workers topic, keyed by its id, sent every few seconds while it runs: what the cluster page
 * shows of it. A worker whose last status is old has stopped without saying so.
 */
public record WorkerStatus(int v, String workerId, String host, int slots, int busy, Instant startedAt, Instant at) {

    public static WorkerStatus of(String workerId, String host, int slots, int busy, Instant startedAt, Instant at) {
        return new WorkerStatus(Events.SCHEMA_VERSION, workerId, host, slots, busy, startedAt, at);
    }
}
