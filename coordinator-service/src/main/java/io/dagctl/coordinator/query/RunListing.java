package io.dagctl.coordinator.query;

import io.dagctl.coordinator.engine.RunEntry;
import io.dagctl.coordinator.engine.StoreNames;
import io.dagctl.core.event.Events;
import io.dagctl.core.report.RunSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsMetadata;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;

/** The runs this instance owns, and which other instances own the rest (the API asks them and merges). */
public final class RunListing {

    private final KafkaStreams streams;
    private final HostInfo self;

    public RunListing(KafkaStreams streams, String applicationServer) {
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    public List<RunSummary> local() {
        List<RunSummary> runs = new ArrayList<>();
        var store = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.RUNS, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> runs.add(summary(Events.fromJson(kv.value, RunEntry.class))));
        }
        return runs;
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

    static RunSummary summary(RunEntry run) {
        Long duration = run.endedAt() != null
                ? Duration.between(run.startedAt(), run.endedAt()).toMillis()
                : null;
        return new RunSummary(
                run.runId(),
                run.dag(),
                run.status(),
                run.submittedAt(),
                run.startedAt(),
                run.endedAt(),
                duration,
                run.taskCount(),
                run.failedTasks(),
                run.trigger(),
                run.logicalDate());
    }
}
