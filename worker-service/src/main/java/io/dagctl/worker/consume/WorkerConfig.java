package io.dagctl.worker.consume;

import io.dagctl.core.event.Topics;
import io.dagctl.worker.exec.ExecutionSettings;
import java.time.Duration;

/**
 * @param slots how many tasks this worker runs at once
 * @param drainGrace on shutdown, how long running tasks may take to finish before they are stopped and released
 * @param logMaxBytes how much of one attempt's output is streamed to the logs topic
 */
public record WorkerConfig(String bootstrapServers, Topics topics, String groupId, int slots, String workerId,
        ExecutionSettings execution, Duration heartbeatInterval, Duration drainGrace, Duration sessionTimeout,
        long logMaxBytes) {

    public WorkerConfig {
        if (slots < 1) {
            throw new IllegalArgumentException("a worker needs at least one slot, got " + slots);
        }
    }
}
