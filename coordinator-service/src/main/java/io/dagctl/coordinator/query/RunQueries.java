package io.dagctl.coordinator.query;

import io.dagctl.coordinator.engine.RunEntry;
import io.dagctl.coordinator.engine.StoreNames;
import io.dagctl.coordinator.engine.TaskEntry;
import io.dagctl.core.event.Events;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.TaskReport;
import io.dagctl.core.telemetry.TaskLogContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Interactive queries: answers from this instance's stores when it owns the run, else names the owner. */
public final class RunQueries {

    private final KafkaStreams streams;
    private final HostInfo self;

    public RunQueries(KafkaStreams streams, String applicationServer) {
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    public RunLookup lookup(String runId) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return new RunLookup.Unavailable("coordinator is " + streams.state());
        }
        KeyQueryMetadata owner = streams.queryMetadataForKey(StoreNames.RUNS, runId, new StringSerializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return new RunLookup.Unavailable("no instance owns the partition of run " + runId + " right now");
        }
        if (!owner.activeHost().equals(self)) {
            return new RunLookup.Elsewhere(
                    owner.activeHost().host() + ":" + owner.activeHost().port());
        }
        try {
            ReadOnlyKeyValueStore<String, byte[]> runs = store(StoreNames.RUNS, owner.partition());
            byte[] run = runs.get(runId);
            if (run == null) {
                return new RunLookup.NotFound();
            }
            return new RunLookup.Found(report(Events.fromJson(run, RunEntry.class), tasks(runId, owner.partition())));
        } catch (InvalidStateStoreException e) {
            return new RunLookup.Unavailable(
                    "the state of run " + runId + " is being restored or moved: " + e.getMessage());
        }
    }

    private List<TaskEntry> tasks(String runId, int partition) {
        List<TaskEntry> entries = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it =
                store(StoreNames.TASKS, partition).prefixScan(StoreNames.taskPrefix(runId), new StringSerializer())) {
            it.forEachRemaining(kv -> entries.add(Events.fromJson(kv.value, TaskEntry.class)));
        }
        entries.sort(Comparator.comparingInt(TaskEntry::index));
        return entries;
    }

    private ReadOnlyKeyValueStore<String, byte[]> store(String name, int partition) {
        return streams.store(
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>keyValueStore())
                        .withPartition(partition));
    }

    static RunReport report(RunEntry run, List<TaskEntry> tasks) {
        List<TaskReport> rows = tasks.stream().map(TaskEntry::toReport).toList();
        Long duration = run.endedAt() != null
                ? Duration.between(run.startedAt(), run.endedAt()).toMillis()
                : null;
        return new RunReport(
                run.runId(),
                run.dag(),
                new TreeMap<>(run.params()),
                run.status(),
                run.submittedAt(),
                run.startedAt(),
                run.endedAt(),
                duration,
                rows,
                TaskLogContext.traceIdOf(run.traceparent()),
                run.error(),
                run.submissionId(),
                run.submissionDigest(),
                run.dagVersion(),
                run.trigger(),
                run.logicalDate());
    }
}
