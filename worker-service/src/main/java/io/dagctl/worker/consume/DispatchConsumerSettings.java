package io.dagctl.worker.consume;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;

/** How the worker's dispatch consumer is configured. */
public final class DispatchConsumerSettings {

    private DispatchConsumerSettings() {}

    /**
     * The settings of the dispatch consumer: one group, cooperative rebalancing (a join or leave moves only the
     * partitions it must, and nobody stops taking work meanwhile), static membership when the worker has a stable
     * identity, committed reads only unless the operator chose {@link WorkerConfig.DispatchReads#UNCOMMITTED}, offsets
     * committed by the poll loop.
     */
    public static Map<String, Object> of(WorkerConfig config) {
        Map<String, Object> props = new HashMap<>(config.connection().clientProperties());
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, config.connection().groupId());
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "dagctl-worker-" + config.workerId());
        props.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        config.instanceId().ifPresent(id -> props.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, id));
        props.put(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                config.dispatchReads() == WorkerConfig.DispatchReads.UNCOMMITTED
                        ? "read_uncommitted"
                        : "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(WorkerEngine.MAX_POLL_RECORDS, config.slots()));
        props.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int)
                config.timing().sessionTimeout().toMillis());
        props.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int)
                Math.max(250, config.timing().sessionTimeout().toMillis() / 6));
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        return props;
    }
}
