package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.core.event.Events;
import io.dagctl.core.model.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/** {@link RunStateStore} over the three Kafka Streams stores of one stream task (one partition of runs). */
final class StreamsRunStateStore implements RunStateStore {

    private static final byte[] NOTHING = new byte[0];

    private final KeyValueStore<String, byte[]> runs;
    private final KeyValueStore<String, byte[]> tasks;
    private final KeyValueStore<String, byte[]> timers;
    private final RunIndex index;
    /** Where indexing a partition written before the index existed goes on from; null when there is nothing to do. */
    private String indexBuiltUpTo;
    /** Per run, how the unit of work being written moved its tasks between statuses. */
    private final Map<String, Map<TaskStatus, Integer>> countDeltas = new HashMap<>();

    private final PartitionWork work;

    StreamsRunStateStore(
            KeyValueStore<String, byte[]> runs,
            KeyValueStore<String, byte[]> tasks,
            KeyValueStore<String, byte[]> timers,
            RunIndex index,
            PartitionWork work) {
        this.index = index;
        this.runs = runs;
        this.tasks = tasks;
        this.timers = timers;
        this.work = work;
    }

    /**
     * Counts the partition's unfinished work into {@link PartitionWork}: once, when the partition is assigned. The
     * index names the unfinished runs; a partition written before the index existed is read whole this once, and
     * indexed by {@link #buildIndex} (a store cannot be written while its processor is being initialised).
     */
    void countWork() {
        List<RunEntry> active = new ArrayList<>();
        if (index.isBuilt()) {
            for (String runId : index.activeRunIds()) {
                RunEntry run = run(runId);
                if (run != null && !run.status().isTerminal()) {
                    active.add(run);
                }
            }
        } else {
            indexBuiltUpTo = "";
            try (KeyValueIterator<String, byte[]> it = runs.all()) {
                it.forEachRemaining(kv -> {
                    RunEntry run = Events.fromJson(kv.value, RunEntry.class);
                    if (!run.status().isTerminal()) {
                        active.add(run);
                    }
                });
            }
        }
        for (RunEntry run : active) {
            work.run(run);
            tasks(run.runId())
                    .forEach(task ->
                            work.taskMoved(null, task.status(), task.spec().queueName()));
        }
    }

    /**
     * Indexes up to {@code limit} more runs of a partition written before the index existed, from where the last call
     * ended; marks the index built after the last. Indexing a run twice changes nothing, so a crash only repeats work.
     */
    void buildIndex(int limit) {
        if (indexBuiltUpTo == null) {
            return;
        }
        int done = 0;
        String last = null;
        try (KeyValueIterator<String, byte[]> it = runs.range(indexBuiltUpTo, null)) {
            while (it.hasNext() && done < limit) {
                KeyValue<String, byte[]> kv = it.next();
                if (kv.key.equals(indexBuiltUpTo)) {
                    continue;
                }
                index.saved(Events.fromJson(kv.value, RunEntry.class));
                last = kv.key;
                done++;
            }
            if (it.hasNext()) {
                indexBuiltUpTo = last;
                return;
            }
        }
        index.markBuilt();
        indexBuiltUpTo = null;
    }

    @Override
    public void unitApplied() {
        countDeltas.forEach((runId, deltas) -> index.addTaskCounts(
                runId,
                deltas,
                () -> tasks(runId).stream().map(TaskEntry::status).toList()));
        countDeltas.clear();
    }

    @Override
    public RunEntry run(String runId) {
        byte[] json = runs.get(runId);
        return json == null ? null : Events.fromJson(json, RunEntry.class);
    }

    @Override
    public void put(RunEntry run) {
        put(run, Events.toJson(run));
    }

    @Override
    public void put(RunEntry run, byte[] json) {
        runs.put(run.runId(), json);
        index.saved(run);
        work.run(run);
    }

    @Override
    public TaskEntry task(String runId, String task) {
        byte[] json = tasks.get(StoreNames.taskKey(runId, task));
        return json == null ? null : stored(json);
    }

    @Override
    public void put(TaskEntry task) {
        put(task, Events.toJson(task));
    }

    @Override
    public void put(TaskEntry task, byte[] json) {
        tasks.put(StoreNames.taskKey(task.runId(), task.name()), json);
        work.taskMoved(task.storedStatus(), task.status(), task.spec().queueName());
        if (task.storedStatus() != task.status()) {
            Map<TaskStatus, Integer> deltas =
                    countDeltas.computeIfAbsent(task.runId(), id -> new EnumMap<>(TaskStatus.class));
            if (task.storedStatus() != null) {
                deltas.merge(task.storedStatus(), -1, Integer::sum);
            }
            deltas.merge(task.status(), 1, Integer::sum);
        }
        task.markStored();
    }

    @Override
    public List<TaskEntry> tasks(String runId) {
        List<TaskEntry> all = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it =
                tasks.prefixScan(StoreNames.taskPrefix(runId), new StringSerializer())) {
            it.forEachRemaining(kv -> all.add(stored(kv.value)));
        }
        all.sort(RunStateStore.DECLARATION_ORDER);
        return all;
    }

    private static TaskEntry stored(byte[] json) {
        TaskEntry task = Events.fromJson(json, TaskEntry.class);
        task.markStored();
        return task;
    }

    @Override
    public List<TaskEntry> tasksAfter(String runId, String after, int limit) {
        List<TaskEntry> found = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = tasksOf(runId, after)) {
            while (it.hasNext() && found.size() < limit) {
                KeyValue<String, byte[]> kv = it.next();
                if (kv.key.startsWith(StoreNames.taskPrefix(runId))) {
                    found.add(stored(kv.value));
                }
            }
        }
        return found;
    }

    @Override
    public String nextTaskName(String runId, String after) {
        String prefix = StoreNames.taskPrefix(runId);
        try (KeyValueIterator<String, byte[]> it = tasksOf(runId, after)) {
            while (it.hasNext()) {
                String key = it.next().key;
                if (key.startsWith(prefix)) {
                    return key.substring(prefix.length());
                }
            }
        }
        return null;
    }

    /** The run's task entries after {@code after} (null: all), in key order. */
    private KeyValueIterator<String, byte[]> tasksOf(String runId, String after) {
        String from = after == null ? StoreNames.taskPrefix(runId) : StoreNames.taskKey(runId, after) + "\0";
        // '/' + 1 = '0': every key of the run sorts below the run id followed by '0' (run ids hold no '/')
        return tasks.range(from, runId + "0");
    }

    @Override
    public void schedule(Timer timer) {
        timers.put(timer.key(), NOTHING);
    }

    @Override
    public void hold(TaskEntry task) {
        timers.put(heldKey(task), task.name().getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void unhold(TaskEntry task) {
        timers.delete(heldKey(task));
    }

    static String heldKey(TaskEntry task) {
        return StoreNames.heldKey(task.runId(), task.index(), task.mapping().position());
    }

    @Override
    public List<String> held(String runId, String from, int limit) {
        List<String> names = new ArrayList<>();
        String start = from == null ? StoreNames.heldFrom(runId) : from;
        try (KeyValueIterator<String, byte[]> it = timers.range(start, StoreNames.heldTo(runId))) {
            while (it.hasNext() && names.size() < limit) {
                names.add(new String(it.next().value, StandardCharsets.UTF_8));
            }
        }
        return names;
    }

    @Override
    public List<Timer> takeDue(Instant now, int limit) {
        List<String> due = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = timers.range(Timer.lowerBound(), Timer.upperBoundFor(now))) {
            while (it.hasNext() && due.size() < limit) {
                KeyValue<String, byte[]> kv = it.next();
                if (kv.key.compareTo(Timer.upperBoundFor(now)) < 0) {
                    due.add(kv.key);
                }
            }
        }
        due.forEach(timers::delete);
        return due.stream().map(Timer::parse).toList();
    }
}
