package io.dagctl.coordinator.query;

import io.dagctl.coordinator.engine.RunIndex;
import io.dagctl.coordinator.engine.StoreNames;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunSummary;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.TaskMetadata;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The runs this instance owns, a page at a time from each partition's {@link RunIndex} (newest first), and which other
 * instances own the rest (the API asks them and merges).
 */
public final class RunListing {

    /** Newest first, as the index orders them: by submission time, then run id. */
    public static final Comparator<RunSummary> NEWEST_FIRST = Comparator.comparing(
                    (RunSummary r) -> RunIndex.position(r.submittedAt(), r.runId()))
            .reversed();

    private final KafkaStreams streams;
    private final HostInfo self;
    private final String commandsTopic;

    public RunListing(KafkaStreams streams, String applicationServer, String commandsTopic) {
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
        this.commandsTopic = commandsTopic;
    }

    /** The newest {@code limit} runs of this instance's partitions that pass the filter, newest first. */
    public List<RunSummary> local(RunIndex.RunFilter filter, int limit) {
        List<RunSummary> all = new ArrayList<>();
        for (int partition : localPartitions()) {
            all.addAll(RunIndex.newest(index(partition), filter, limit));
        }
        all.sort(NEWEST_FIRST);
        return all.size() > limit ? all.subList(0, limit) : all;
    }

    /** How many runs this instance's partitions hold (of {@code dag} when it is not null). */
    public long count(String dag) {
        long n = 0;
        for (int partition : localPartitions()) {
            n += RunIndex.count(index(partition), dag);
        }
        return n;
    }

    /** How many of this instance's runs are in each status. */
    public Map<RunStatus, Long> statusCounts() {
        Map<RunStatus, Long> counts = new EnumMap<>(RunStatus.class);
        for (int partition : localPartitions()) {
            for (RunStatus status : RunStatus.values()) {
                long n = RunIndex.countInStatus(index(partition), status);
                if (n > 0) {
                    counts.merge(status, n, Long::sum);
                }
            }
        }
        return counts;
    }

    private ReadOnlyKeyValueStore<String, byte[]> index(int partition) {
        return streams.store(StoreQueryParameters.fromNameAndType(
                        StoreNames.RUN_INDEX, QueryableStoreTypes.<String, byte[]>keyValueStore())
                .withPartition(partition));
    }

    /** The partitions of the runs (the commands topic) whose active task runs here. */
    private TreeSet<Integer> localPartitions() {
        TreeSet<Integer> partitions = new TreeSet<>();
        for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
            for (TaskMetadata task : thread.activeTasks()) {
                task.topicPartitions().stream()
                        .filter(tp -> tp.topic().equals(commandsTopic))
                        .forEach(tp -> partitions.add(tp.partition()));
            }
        }
        return partitions;
    }

    /** An instance of the application and the run partitions it owns (standbys are kept elsewhere too). */
    public record Instance(
            String hostPort, boolean self, List<Integer> runPartitions, List<Integer> standbyPartitions) {}

    /** Every instance of this application and what it owns, as Kafka Streams' metadata has it now. */
    public List<Instance> instances() {
        List<Instance> all = new ArrayList<>();
        for (StreamsMetadata metadata : streams.metadataForAllStreamsClients()) {
            HostInfo host = metadata.hostInfo();
            all.add(new Instance(
                    host.host() + ":" + host.port(),
                    host.equals(self),
                    partitionsOf(metadata.topicPartitions()),
                    partitionsOf(metadata.standbyTopicPartitions())));
        }
        all.sort(java.util.Comparator.comparing(Instance::hostPort));
        return all;
    }

    private List<Integer> partitionsOf(java.util.Set<org.apache.kafka.common.TopicPartition> partitions) {
        return partitions.stream()
                .filter(tp -> tp.topic().equals(commandsTopic))
                .map(org.apache.kafka.common.TopicPartition::partition)
                .sorted()
                .toList();
    }

    /** host:port of every other instance of this application. */
    public List<String> otherInstances() {
        List<String> others = new ArrayList<>();
        for (StreamsMetadata metadata : streams.metadataForAllStreamsClients()) {
            HostInfo host = metadata.hostInfo();
            if (!host.equals(self)) {
                others.add(host.host() + ":" + host.port());
            }
        }
        return others;
    }
}
