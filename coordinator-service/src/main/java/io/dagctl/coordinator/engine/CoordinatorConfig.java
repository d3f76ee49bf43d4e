package io.dagctl.coordinator.engine;

import io.dagctl.core.event.Topics;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything the coordinator engine needs to run; the Quarkus shell fills it from {@code dagctl.*} settings.
 *
 * @param commitInterval how often the exactly-once transaction commits when nothing asks for it earlier
 * @param dispatchCommitGap a dispatch or cancel asks for an immediate commit unless one was asked for within this gap
 *     (then it goes with the next one): short so that a chain's hop does not wait, long enough that a burst of
 *     dispatching results still shares transactions
 * @param applicationServer {@code host:port} of this instance's REST API, published for interactive queries
 * @param lease how long a running attempt may go without a heartbeat before it is declared lost
 * @param timeoutGrace how long past a task's timeout the coordinator waits for the worker's own report
 * @param transactionTimeout how long a dead instance's open transaction can hold back its partitions' readers
 * @param queueTimeout how long a dispatched attempt may wait for a worker before it is queued again as a new attempt
 *     (workers skip dispatch records older than this); long, since a backlog is normal
 * @param releaseBatch the most dependents a succeeded task releases in one transaction; a larger fan-out is released
 *     in batches, one per timer tick, so that no transaction outlasts {@code transactionTimeout} (a broker aborts it,
 *     and the same work would be tried again and again)
 */
public record CoordinatorConfig(
        String bootstrapServers,
        String applicationId,
        Topics topics,
        int runPartitions,
        int dispatchPartitions,
        short replicationFactor,
        int standbyReplicas,
        Path stateDir,
        Duration commitInterval,
        Duration dispatchCommitGap,
        Duration timerTick,
        Duration lease,
        Duration timeoutGrace,
        Duration queueTimeout,
        int releaseBatch,
        Duration sessionTimeout,
        Duration transactionTimeout,
        String applicationServer) {

    /**
     * 100,000 dependents in one transaction took over the 5 s transaction timeout on a cold, C1-only coordinator; in
     * batches of 10,000 none was aborted (docs/architecture.md).
     */
    public static final int DEFAULT_RELEASE_BATCH = 10_000;

    public CoordinatorConfig {
        if (releaseBatch < 1) {
            throw new IllegalArgumentException("release batch must be at least 1, got " + releaseBatch);
        }
    }

    public static CoordinatorConfig localDefaults(String bootstrapServers, Path stateDir) {
        return new CoordinatorConfig(bootstrapServers, "dagctl-coordinator", Topics.defaults(),
                Topics.DEFAULT_RUN_PARTITIONS, Topics.DEFAULT_DISPATCH_PARTITIONS, (short) 1, 0, stateDir,
                Duration.ofMillis(100), Duration.ofMillis(5), Duration.ofMillis(100), Duration.ofSeconds(10), Duration.ofSeconds(30),
                Duration.ofHours(1), DEFAULT_RELEASE_BATCH, Duration.ofSeconds(6), Duration.ofSeconds(5), "127.0.0.1:8080");
    }

    public CoordinatorConfig withReleaseBatch(int batch) {
        return new CoordinatorConfig(bootstrapServers, applicationId, topics, runPartitions, dispatchPartitions,
                replicationFactor, standbyReplicas, stateDir, commitInterval, dispatchCommitGap, timerTick, lease, timeoutGrace,
                queueTimeout, batch, sessionTimeout, transactionTimeout, applicationServer);
    }
}
