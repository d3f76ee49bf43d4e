package io.dagctl.coordinator.app;

import io.dagctl.coordinator.engine.CoordinatorConfig;
import io.dagctl.core.config.KafkaClientProperties;
import io.dagctl.core.event.Topics;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Builds the engine's settings, group by group, from the {@code dagctl.*} configuration. */
public final class EngineConfigs {

    private EngineConfigs() {}

    /** The Kafka client settings every client of the coordinator gets (TLS, SASL, ...). */
    static Map<String, String> kafkaProperties(CoordinatorSettings settings) {
        return KafkaClientProperties.load(
                settings.kafka().propertiesFile(), settings.kafka().properties());
    }

    /** Every client's starting settings: the servers and {@link #kafkaProperties}. */
    public static Map<String, Object> clientProperties(CoordinatorSettings settings) {
        Map<String, Object> props = new HashMap<>(kafkaProperties(settings));
        props.put("bootstrap.servers", settings.kafka().bootstrapServers());
        return props;
    }

    static CoordinatorConfig from(CoordinatorSettings settings, int httpPort) {
        CoordinatorSettings.Coordinator c = settings.coordinator();
        CoordinatorSettings.TopicSettings t = settings.topics();
        var connection = new CoordinatorConfig.Connection(
                settings.kafka().bootstrapServers(),
                kafkaProperties(settings),
                c.applicationId(),
                c.advertisedAddress().orElse("127.0.0.1:" + httpPort),
                Path.of(c.stateDir()),
                new Topics(t.prefix()));
        var partitioning = new CoordinatorConfig.Partitioning(
                t.runPartitions(), t.dispatchPartitions(), t.replicationFactor(), c.standbyReplicas(), c.stateStores());
        var commits = new CoordinatorConfig.Commits(c.commitInterval(), c.dispatchCommitGap(), c.transactionTimeout());
        var attempts = new CoordinatorConfig.AttemptTiming(c.lease(), c.timeoutGrace(), c.queueTimeout());
        var timing =
                new CoordinatorConfig.Timing(commits, attempts, c.timerTick(), c.sessionTimeout(), c.peerLiveness());
        CoordinatorSettings.Retention r = settings.retention();
        return new CoordinatorConfig(
                connection,
                partitioning,
                timing,
                new CoordinatorConfig.Limits(c.batchSize(), c.notStartedLimit()),
                new CoordinatorConfig.Retention(r.finishedRuns(), r.maxRunsPerDag(), r.sweepEvery()));
    }
}
