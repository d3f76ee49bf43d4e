package io.dagctl.coordinator.engine;

import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.Topics;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics the coordinator owns, before Kafka Streams starts (Streams waits forever for missing source
 * topics), and refuses to start when commands and results are not co-partitioned.
 */
public final class TopicProvisioner {

    private static final System.Logger LOG = System.getLogger(TopicProvisioner.class.getName());
    private static final String SEVEN_DAYS_MS =
            String.valueOf(Duration.ofDays(7).toMillis());

    private final CoordinatorConfig config;

    public TopicProvisioner(CoordinatorConfig config) {
        this.config = config;
    }

    /**
     * Creates the topics that do not exist and checks those that do; returns how many partitions the run topics have,
     * which is the configured count only for topics this call created.
     */
    public int ensureTopics() {
        Topics t = config.topics();
        CoordinatorConfig.Partitioning partitioning = config.partitioning();
        short rf = partitioning.replicationFactor();
        // every record dagctl writes fits: sizes are checked at submission and again before each write
        String recordBytes = String.valueOf(RecordLimits.MAX_RECORD_BYTES + CoordinatorTopology.RECORD_OVERHEAD_BYTES);
        Map<String, String> weekly = Map.of(
                TopicConfig.RETENTION_MS_CONFIG, SEVEN_DAYS_MS, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, recordBytes);
        String historyMs = String.valueOf(historyRetention().toMillis());
        List<NewTopic> wanted = List.of(
                new NewTopic(t.commands(), partitioning.runPartitions(), rf)
                        .configs(Map.of(
                                TopicConfig.RETENTION_MS_CONFIG,
                                SEVEN_DAYS_MS,
                                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                String.valueOf(RecordLimits.MAX_COMMAND_RECORD_BYTES))),
                // broker time, not the worker's clock: how far behind results are processed is judged by it
                new NewTopic(t.results(), partitioning.runPartitions(), rf)
                        .configs(Map.of(
                                TopicConfig.RETENTION_MS_CONFIG,
                                SEVEN_DAYS_MS,
                                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                recordBytes,
                                TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
                                "LogAppendTime")),
                new NewTopic(t.dispatch(), partitioning.dispatchPartitions(), rf).configs(weekly),
                // a listed run has its logs and events: they are kept as long as finished runs, and a week more
                new NewTopic(t.logs(), partitioning.dispatchPartitions(), rf)
                        .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, historyMs)),
                new NewTopic(t.events(), partitioning.runPartitions(), rf)
                        .configs(Map.of(
                                TopicConfig.RETENTION_MS_CONFIG,
                                historyMs,
                                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                recordBytes)),
                new NewTopic(t.control(), 1, rf)
                        .configs(Map.of(
                                TopicConfig.RETENTION_MS_CONFIG,
                                String.valueOf(Duration.ofDays(1).toMillis()),
                                TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                                recordBytes)),
                new NewTopic(t.dlq(), 1, rf).configs(weekly),
                // stored DAGs: commands keyed by DAG name; the DAGs themselves live in the owner's store changelogs
                new NewTopic(t.dags(), partitioning.runPartitions(), rf).configs(weekly),
                // the cluster page's workers: the latest status of each (compacted), and nothing older than an hour,
                // so that a worker killed without its tombstone does not stay listed for ever
                new NewTopic(t.workers(), 1, rf)
                        .configs(Map.of(
                                TopicConfig.CLEANUP_POLICY_CONFIG,
                                TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE,
                                TopicConfig.RETENTION_MS_CONFIG,
                                String.valueOf(Duration.ofHours(1).toMillis()),
                                TopicConfig.SEGMENT_MS_CONFIG,
                                String.valueOf(Duration.ofMinutes(10).toMillis()),
                                TopicConfig.DELETE_RETENTION_MS_CONFIG,
                                String.valueOf(Duration.ofHours(1).toMillis()))));
        try (Admin admin = Admin.create(config.connection().clientProperties())) {
            for (var entry : admin.createTopics(wanted).values().entrySet()) {
                try {
                    entry.getValue().get(60, TimeUnit.SECONDS);
                    LOG.log(System.Logger.Level.INFO, "created topic {0}", entry.getKey());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create topic " + entry.getKey() + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
            }
            alignHistoryRetention(admin, List.of(t.logs(), t.events()), historyMs);
            Map<String, TopicDescription> described = admin.describeTopics(List.of(t.commands(), t.results()))
                    .allTopicNames()
                    .get(60, TimeUnit.SECONDS);
            int commands = described.get(t.commands()).partitions().size();
            int results = described.get(t.results()).partitions().size();
            if (commands != results) {
                throw new IllegalStateException(t.commands() + " has " + commands + " partitions and " + t.results()
                        + " has " + results + "; they must be equal (both keyed by run id, each run has one owner)");
            }
            return commands;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot reach Kafka at " + config.connection().bootstrapServers() + " to create topics: "
                            + e.getMessage(),
                    e);
        }
    }

    /** How long the logs and events topics keep records: the retention of finished runs, and a week more. */
    Duration historyRetention() {
        return config.retention().finishedRuns().plus(Duration.ofDays(7));
    }

    /** Topics created before (or by an operator) get the same retention; a cluster that refuses it is only told. */
    private static void alignHistoryRetention(Admin admin, List<String> topics, String retentionMs)
            throws InterruptedException {
        Map<ConfigResource, Collection<AlterConfigOp>> changes = new HashMap<>();
        for (String topic : topics) {
            changes.put(
                    new ConfigResource(ConfigResource.Type.TOPIC, topic),
                    List.of(new AlterConfigOp(
                            new ConfigEntry(TopicConfig.RETENTION_MS_CONFIG, retentionMs), AlterConfigOp.OpType.SET)));
        }
        try {
            admin.incrementalAlterConfigs(changes).all().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "could not set retention.ms={0} on {1} ({2}); set it there so that listed runs keep their logs",
                    retentionMs,
                    topics,
                    e.getMessage());
        }
    }
}
