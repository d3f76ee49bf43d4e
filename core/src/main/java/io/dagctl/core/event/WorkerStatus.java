package io.dagctl.core.event;

import io.dagctl.core.model.Queues;
import java.time.Instant;
import java.util.List;

/**
 * A worker's status on the workers topic, keyed by its id, sent every few seconds while it runs: what the cluster page
 * shows of it. A worker whose last status is old has stopped without saying so.
 */
public record WorkerStatus(
        int v,
        String workerId,
        String host,
        int slots,
        int busy,
        Instant startedAt,
        Instant at,
        // absent in a status written before queues existed: such a worker serves the default queue
        List<String> queues) {

    public WorkerStatus {
        queues = queues == null || queues.isEmpty() ? List.of(Queues.DEFAULT) : List.copyOf(queues);
    }

    public static WorkerStatus of(
            String workerId, String host, int slots, int busy, Instant startedAt, Instant at, List<String> queues) {
        return new WorkerStatus(Events.SCHEMA_VERSION, workerId, host, slots, busy, startedAt, at, queues);
    }
}
