package io.dagctl.worker.consume;

import io.dagctl.core.event.Topics;
import io.dagctl.worker.exec.ExecutionSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the worker engine needs to run, in groups; the Quarkus shell builds it from its {@code dagctl.*}
 * settings.
 *
 * @param instanceId the worker's stable identity for static group membership (a pod name), or empty
 * @param slots how many tasks this worker runs at once
 * @param logMaxBytes how much of one attempt's output is streamed to the logs topic
 * @param dispatchReads which dispatch records the worker takes: committed only (the default), or also those of open
 *     transactions
 * @param queues the queues whose dispatch topics it takes work from
 */
public record WorkerConfig(
        Connection connection,
        String workerId,
        Optional<String> instanceId,
        int slots,
        ExecutionSettings execution,
        Timing timing,
        long logMaxBytes,
        DispatchReads dispatchReads,
        List<String> queues) {

    /** The dispatch topics of its queues. */
    public List<String> dispatchTopics() {
        return queues.stream().map(connection.topics()::dispatch).toList();
    }

    /**
     * Which dispatch records a worker takes. A dispatch is written in the same Kafka transaction as the state change
     * that caused it; the transaction commits a few milliseconds later.
     */
    public enum DispatchReads {
        /** Only once its transaction committed: a dispatch runs exactly once, the hop waits for the commit. */
        COMMITTED,
        /**
         * As soon as it is written, before its transaction commits: the hop does not wait for the commit, but when the
         * transaction aborts instead (its coordinator dies, or loses its partitions in a rebalance, before the commit)
         * the task has started anyway, and the coordinator that takes over dispatches it again: it may run twice.
         */
        UNCOMMITTED
    }

    /**
     * @param kafkaProperties any other Kafka client settings (TLS, SASL, ...), given to every client of the worker
     * @param groupId the consumer group every worker of the cluster joins to share the dispatch topic
     */
    public record Connection(
            String bootstrapServers, Map<String, String> kafkaProperties, Topics topics, String groupId) {

        public Connection {
            kafkaProperties = Map.copyOf(kafkaProperties);
        }

        /** The settings every Kafka client of the worker starts from: the servers and {@link #kafkaProperties}. */
        public Map<String, Object> clientProperties() {
            Map<String, Object> props = new HashMap<>(kafkaProperties);
            props.put("bootstrap.servers", bootstrapServers);
            return props;
        }
    }

    /**
     * @param heartbeatInterval how often a running attempt's heartbeat is sent
     * @param drainGrace on shutdown, how long running tasks may take to finish before they are stopped and released
     * @param sessionTimeout how long a silent worker keeps its dispatch partitions
     * @param startReportDelay how long an attempt runs before its start is reported; one that ends sooner is
     *     reported by its result alone
     */
    public record Timing(
            Duration heartbeatInterval, Duration drainGrace, Duration sessionTimeout, Duration startReportDelay) {

        /** Longer would delay every revocation and come near the coordinator's own deadlines for a start. */
        public static final Duration MAX_START_REPORT_DELAY = Duration.ofSeconds(1);

        public Timing {
            if (startReportDelay.isNegative() || startReportDelay.compareTo(MAX_START_REPORT_DELAY) > 0) {
                throw new IllegalArgumentException("dagctl.worker.start-report-delay must be between 0 and "
                        + MAX_START_REPORT_DELAY.toMillis() + "ms, got " + startReportDelay.toMillis() + "ms");
            }
        }
    }

    public WorkerConfig {
        if (slots < 1) {
            throw new IllegalArgumentException("a worker needs at least one slot, got " + slots);
        }
        queues = List.copyOf(queues);
        if (queues.isEmpty()) {
            throw new IllegalArgumentException("a worker serves at least one queue");
        }
    }

    public String bootstrapServers() {
        return connection.bootstrapServers();
    }

    public Topics topics() {
        return connection.topics();
    }
}
