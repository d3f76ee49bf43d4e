package io.dagctl.coordinator.query;

import io.dagctl.coordinator.engine.RunEntry;
import io.dagctl.coordinator.engine.RunIndex;
import io.dagctl.coordinator.engine.StoreNames;
import io.dagctl.coordinator.engine.TaskEntry;
import io.dagctl.core.event.Events;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.RunSummary;
import io.dagctl.core.report.TaskPage;
import io.dagctl.core.report.TaskReport;
import io.dagctl.core.telemetry.TaskLogContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Interactive queries: answers from this instance's stores when it owns the run, else names the owner. */
public final class RunQueries {

    /** Task entries one page of a run's tasks reads at most. */
    public static final int TASKS_SCANNED = 10_000;

    private final KafkaStreams streams;
    private final HostInfo self;

    public RunQueries(KafkaStreams streams, String applicationServer) {
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    /** The run's whole report, every task included. */
    public RunLookup<RunReport> lookup(String runId) {
        return view(runId, (run, partition) -> report(run, tasks(runId, partition)));
    }

    /** The run without its tasks, with how many are in each status. */
    public RunLookup<RunSummary> summary(String runId) {
        return view(runId, (run, partition) -> run.summary().withTaskCounts(counts(runId, partition)));
    }

    /**
     * A page of the run's tasks by name, after the task named {@code after} (null: from the first), of the status
     * asked for (null: any). At most {@link #TASKS_SCANNED} entries are read per page, so a filter that matches few
     * of a large run's tasks answers a short page with a cursor to go on from.
     */
    public RunLookup<TaskPage> tasks(String runId, TaskStatus status, String after, int limit) {
        return view(runId, (run, partition) -> {
            List<TaskReport> page = new ArrayList<>();
            String prefix = StoreNames.taskPrefix(runId);
            String from = after == null ? prefix : StoreNames.taskKey(runId, after) + "\0";
            String last = null;
            int scanned = 0;
            boolean more = false;
            try (KeyValueIterator<String, byte[]> it =
                    store(StoreNames.TASKS, partition).range(from, runId + "0")) {
                while (it.hasNext()) {
                    if (page.size() == limit || scanned == TASKS_SCANNED) {
                        more = true;
                        break;
                    }
                    KeyValue<String, byte[]> kv = it.next();
                    scanned++;
                    TaskEntry task = Events.fromJson(kv.value, TaskEntry.class);
                    last = task.name();
                    if (status == null || task.status() == status) {
                        page.add(task.toReport());
                    }
                }
            }
            return new TaskPage(runId, page, counts(runId, partition), more ? last : null);
        });
    }

    /** One task of the run, its earlier attempts included; a found run without that task answers null. */
    public RunLookup<TaskReport> task(String runId, String name) {
        return view(runId, (run, partition) -> {
            byte[] entry = store(StoreNames.TASKS, partition).get(StoreNames.taskKey(runId, name));
            return entry == null
                    ? null
                    : Events.fromJson(entry, TaskEntry.class).toReport();
        });
    }

    /**
     * Reads the run's task entries as stored (JSON), one at a time, only when asked: a view that is cached skips them,
     * and one that needs a few fields of each decodes only those.
     */
    public interface TaskScan {
        void forEach(Consumer<byte[]> storedTask);

        /** One task's stored entry, or null. */
        byte[] get(String task);
    }

    /** What {@code view} makes of the run and of its tasks, read on demand. */
    public <T> RunLookup<T> scan(String runId, BiFunction<RunEntry, TaskScan, T> view) {
        return view(
                runId,
                (run, partition) -> view.apply(run, new TaskScan() {
                    @Override
                    public void forEach(Consumer<byte[]> each) {
                        try (KeyValueIterator<String, byte[]> it = store(StoreNames.TASKS, partition)
                                .prefixScan(StoreNames.taskPrefix(runId), new StringSerializer())) {
                            it.forEachRemaining(kv -> each.accept(kv.value));
                        }
                    }

                    @Override
                    public byte[] get(String task) {
                        return store(StoreNames.TASKS, partition).get(StoreNames.taskKey(runId, task));
                    }
                }));
    }

    /** Reads what {@code view} makes of the run, where this instance owns it; else says who does, or why not. */
    private <T> RunLookup<T> view(String runId, BiFunction<RunEntry, Integer, T> view) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return new RunLookup.Unavailable<>("coordinator is " + streams.state());
        }
        KeyQueryMetadata owner = streams.queryMetadataForKey(StoreNames.RUNS, runId, new StringSerializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return new RunLookup.Unavailable<>("no instance owns the partition of run " + runId + " right now");
        }
        if (!owner.activeHost().equals(self)) {
            return new RunLookup.Elsewhere<>(
                    owner.activeHost().host() + ":" + owner.activeHost().port());
        }
        try {
            byte[] run = store(StoreNames.RUNS, owner.partition()).get(runId);
            if (run == null) {
                return new RunLookup.NotFound<>();
            }
            return new RunLookup.Found<>(view.apply(Events.fromJson(run, RunEntry.class), owner.partition()));
        } catch (InvalidStateStoreException e) {
            return new RunLookup.Unavailable<>(
                    "the state of run " + runId + " is being restored or moved: " + e.getMessage());
        }
    }

    /** The run's task counts from the index; counted from its tasks for a run older than the counts. */
    private Map<TaskStatus, Integer> counts(String runId, int partition) {
        Map<TaskStatus, Integer> counts = RunIndex.taskCounts(store(StoreNames.RUN_INDEX, partition), runId);
        if (counts != null) {
            return counts;
        }
        Map<TaskStatus, Integer> counted = new EnumMap<>(TaskStatus.class);
        tasks(runId, partition).forEach(t -> counted.merge(t.status(), 1, Integer::sum));
        return counted;
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
        Long duration = run.ranFor();
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
