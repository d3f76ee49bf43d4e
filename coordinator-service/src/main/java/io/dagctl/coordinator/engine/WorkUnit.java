package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.core.event.DagCommand;
import io.dagctl.core.event.DagRunEnded;
import io.dagctl.core.event.DagRunReopened;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.event.TaskCancelRequested;
import io.dagctl.core.event.TaskDispatched;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The writes and the output of one record (or one due timer), held back until it has been handled and then applied
 * together: a record that fails half-way leaves nothing behind, so it can go to the dead-letter topic without having
 * half-changed a run. Every entry and output record is checked against {@link RecordLimits#MAX_RECORD_BYTES} before
 * anything is written, so a record too large for Kafka is refused here, not by the producer at commit (which would stop
 * the Kafka Streams client).
 *
 * <p>Reads within a unit return the same object for the same entry, so that two handlers of one record never work on
 * two copies of one task.
 */
final class WorkUnit implements RunStateStore, RunOutput {

    /** A record the unit would write is larger than Kafka takes; the record that caused it is not applied. */
    static final class TooLargeException extends RuntimeException {
        TooLargeException(String what, int bytes) {
            super(what + " would be " + bytes + " bytes of JSON; the limit is "
                    + RecordLimits.describe(RecordLimits.MAX_RECORD_BYTES));
        }
    }

    /** An output record held back, and how to send it once written as JSON. */
    private sealed interface Out {
        Object value();

        String describe();

        void send(RunOutput output, byte[] json);
    }

    private record Dispatch(TaskDispatched value) implements Out {
        public String describe() {
            return "the dispatch of " + value.attemptId();
        }

        public void send(RunOutput output, byte[] json) {
            output.dispatch(value, json);
        }
    }

    private record Event(RunEvent value) implements Out {
        public String describe() {
            return "an event of run " + value.runId();
        }

        public void send(RunOutput output, byte[] json) {
            output.event(value, json);
        }
    }

    private record TellDagOwner(DagCommand value) implements Out {
        public String describe() {
            String run = value instanceof DagRunEnded ended
                    ? " of run " + ended.runId()
                    : value instanceof DagRunReopened reopened ? " of run " + reopened.runId() : "";
            return value.getClass().getSimpleName() + run + " for DAG " + value.name();
        }

        public void send(RunOutput output, byte[] json) {
            output.tellDagOwner(value, json);
        }
    }

    private record Stop(TaskCancelRequested value) implements Out {
        public String describe() {
            return "the stop of " + value.attemptId();
        }

        public void send(RunOutput output, byte[] json) {
            output.cancel(value, json);
        }
    }

    private final RunStateStore store;
    private final RunOutput output;
    /** Past this many entries a collection is dropped rather than cleared (clearing costs its grown capacity). */
    private static final int REUSED_UP_TO = 1024;

    private Map<String, RunEntry> runs = new HashMap<>();
    private Map<String, TaskEntry> tasks = new HashMap<>();
    private Map<String, RunEntry> dirtyRuns = new LinkedHashMap<>();
    private Map<String, TaskEntry> dirtyTasks = new LinkedHashMap<>();
    private List<Timer> timers = new ArrayList<>();
    /** Held tasks this unit added (by held key) and the held keys it removed. */
    private final TreeMap<String, TaskEntry> heldAdded = new TreeMap<>();

    private Map<String, TaskEntry> heldRemoved = new HashMap<>();
    /**
     * Per run, how many more tasks have a live attempt (queued or running) than at the unit's start, as far as the
     * entries put so far tell; and per task key, whether its last put had one.
     */
    private Map<String, Integer> liveDeltas = new HashMap<>();

    private Map<String, Boolean> liveSeen = new HashMap<>();
    private List<Out> out = new ArrayList<>();
    private WorkBudget budget = new WorkBudget(Integer.MAX_VALUE);

    WorkUnit(RunStateStore store, RunOutput output) {
        this.store = store;
        this.output = output;
    }

    /** Starts a unit that may write about {@code budget} entries before it must leave the rest to a later one. */
    void begin(int budgetSize) {
        discard();
        budget = new WorkBudget(budgetSize);
    }

    WorkBudget budget() {
        return budget;
    }

    /** Applies everything the unit holds, or nothing: sizes are checked before the first write. */
    void commit() {
        Map<TaskEntry, byte[]> taskJson = new LinkedHashMap<>();
        for (TaskEntry task : dirtyTasks.values()) {
            taskJson.put(task, checked("the entry of task " + task.runId() + "/" + task.name(), Events.toJson(task)));
        }
        Map<RunEntry, byte[]> runJson = new LinkedHashMap<>();
        for (RunEntry run : dirtyRuns.values()) {
            runJson.put(run, checked("the entry of run " + run.runId(), Events.toJson(run)));
        }
        List<byte[]> outJson = new ArrayList<>(out.size());
        for (Out record : out) {
            outJson.add(checked(record.describe(), Events.toJson(record.value())));
        }
        taskJson.forEach(store::put);
        runJson.forEach(store::put);
        timers.forEach(store::schedule);
        heldRemoved.forEach((key, task) -> {
            if (!heldAdded.containsKey(key)) {
                store.unhold(task);
            }
        });
        heldAdded.values().forEach(store::hold);
        store.unitApplied();
        for (int i = 0; i < out.size(); i++) {
            out.get(i).send(output, outJson.get(i));
        }
        discard();
    }

    /** Forgets everything the unit holds: none of it is written. */
    void discard() {
        // a unit that touched 100,000 tasks leaves maps of that capacity: clearing them for every later record (a
        // few entries each) would cost their whole table each time, so they are dropped instead
        runs = runs.size() > REUSED_UP_TO ? new HashMap<>() : cleared(runs);
        tasks = tasks.size() > REUSED_UP_TO ? new HashMap<>() : cleared(tasks);
        dirtyRuns = dirtyRuns.size() > REUSED_UP_TO ? new LinkedHashMap<>() : cleared(dirtyRuns);
        dirtyTasks = dirtyTasks.size() > REUSED_UP_TO ? new LinkedHashMap<>() : cleared(dirtyTasks);
        timers = timers.size() > REUSED_UP_TO ? new ArrayList<>() : cleared(timers);
        heldAdded.clear();
        heldRemoved = heldRemoved.size() > REUSED_UP_TO ? new HashMap<>() : cleared(heldRemoved);
        liveDeltas = liveDeltas.size() > REUSED_UP_TO ? new HashMap<>() : cleared(liveDeltas);
        liveSeen = liveSeen.size() > REUSED_UP_TO ? new HashMap<>() : cleared(liveSeen);
        out = out.size() > REUSED_UP_TO ? new ArrayList<>() : cleared(out);
    }

    private static <K, V> Map<K, V> cleared(Map<K, V> map) {
        map.clear();
        return map;
    }

    private static <T> List<T> cleared(List<T> list) {
        list.clear();
        return list;
    }

    /** @throws TooLargeException when the JSON does not fit a record */
    static void requireFits(String what, byte[] json) {
        checked(what, json);
    }

    private static byte[] checked(String what, byte[] json) {
        if (json.length > RecordLimits.MAX_RECORD_BYTES) {
            throw new TooLargeException(what, json.length);
        }
        return json;
    }

    @Override
    public RunEntry run(String runId) {
        return runs.computeIfAbsent(runId, store::run);
    }

    @Override
    public void put(RunEntry run) {
        runs.put(run.runId(), run);
        dirtyRuns.put(run.runId(), run);
    }

    @Override
    public TaskEntry task(String runId, String task) {
        String key = StoreNames.taskKey(runId, task);
        TaskEntry known = tasks.get(key);
        if (known != null) {
            return known;
        }
        TaskEntry loaded = store.task(runId, task);
        if (loaded != null) {
            tasks.put(key, loaded);
        }
        return loaded;
    }

    @Override
    public void put(TaskEntry task) {
        String key = StoreNames.taskKey(task.runId(), task.name());
        tasks.put(key, task);
        dirtyTasks.put(key, task);
        boolean live = task.takesPlace();
        Boolean before = liveSeen.put(key, live);
        boolean wasLive = before != null ? before : task.tookPlaceWhenStored();
        if (live != wasLive) {
            liveDeltas.merge(task.runId(), live ? 1 : -1, Integer::sum);
        }
    }

    /** The task entries this unit changed so far. */
    Collection<TaskEntry> changedTasks() {
        return dirtyTasks.values();
    }

    /** How many more of the run's tasks have a live attempt than at the unit's start, by the entries put so far. */
    int liveDelta(String runId) {
        return liveDeltas.getOrDefault(runId, 0);
    }

    /** The runs whose count of live attempts this unit changed, and by how much. */
    Map<String, Integer> liveDeltas() {
        return Map.copyOf(liveDeltas);
    }

    /** The change of {@link #liveDelta} was counted into the run's entry: from here it counts from zero. */
    void liveDeltaCounted(String runId) {
        liveDeltas.remove(runId);
    }

    @Override
    public void hold(TaskEntry task) {
        String key = StreamsRunStateStore.heldKey(task);
        heldAdded.put(key, task);
        heldRemoved.remove(key);
        liveDeltas.merge(task.runId(), 0, Integer::sum); // its run's count of held tasks changed
    }

    @Override
    public void unhold(TaskEntry task) {
        String key = StreamsRunStateStore.heldKey(task);
        heldAdded.remove(key);
        heldRemoved.put(key, task);
        liveDeltas.merge(task.runId(), 0, Integer::sum);
    }

    /** The store's held tasks without those this unit let go, and those it held, in their order. */
    @Override
    public List<String> held(String runId, String from, int limit) {
        TreeMap<String, String> merged = new TreeMap<>();
        String start = from == null ? StoreNames.heldFrom(runId) : from;
        List<String> stored = store.held(runId, start, limit + heldRemoved.size());
        for (String name : stored) {
            TaskEntry task = task(runId, name);
            if (task != null) {
                String key = StreamsRunStateStore.heldKey(task);
                if (!heldRemoved.containsKey(key)) {
                    merged.put(key, name);
                }
            }
        }
        heldAdded.subMap(start, StoreNames.heldTo(runId)).forEach((key, task) -> merged.put(key, task.name()));
        return merged.values().stream().limit(limit).toList();
    }

    @Override
    public List<TaskEntry> tasks(String runId) {
        return known(store.tasks(runId), runId, null, Integer.MAX_VALUE, RunStateStore.DECLARATION_ORDER);
    }

    @Override
    public List<TaskEntry> tasksAfter(String runId, String after, int limit) {
        return known(store.tasksAfter(runId, after, limit), runId, after, limit, Comparator.comparing(TaskEntry::name));
    }

    /**
     * What the store returned, with every entry this unit already holds in its place (its newer copy), and the entries
     * this unit created that belong in the range.
     */
    private List<TaskEntry> known(
            List<TaskEntry> stored, String runId, String after, int limit, Comparator<TaskEntry> order) {
        List<TaskEntry> result = new ArrayList<>(stored.size());
        Set<String> names = new HashSet<>();
        for (TaskEntry task : stored) {
            String key = StoreNames.taskKey(runId, task.name());
            TaskEntry mine = tasks.putIfAbsent(key, task);
            result.add(mine != null ? mine : task);
            names.add(task.name());
        }
        for (TaskEntry created : dirtyTasks.values()) {
            if (created.runId().equals(runId)
                    && created.storedStatus() == null
                    && (after == null || created.name().compareTo(after) > 0)
                    && !names.contains(created.name())) {
                result.add(created);
            }
        }
        result.sort(order);
        return result.size() > limit ? new ArrayList<>(result.subList(0, limit)) : result;
    }

    @Override
    public String nextTaskName(String runId, String after) {
        return store.nextTaskName(runId, after);
    }

    @Override
    public void schedule(Timer timer) {
        timers.add(timer);
    }

    /** Due timers are taken from the store at once: a timer that fails is not tried again. */
    @Override
    public List<Timer> takeDue(Instant now, int limit) {
        return store.takeDue(now, limit);
    }

    @Override
    public void dispatch(TaskDispatched dispatched) {
        out.add(new Dispatch(dispatched));
    }

    @Override
    public void event(RunEvent event) {
        out.add(new Event(event));
    }

    @Override
    public void cancel(TaskCancelRequested cancel) {
        out.add(new Stop(cancel));
    }

    @Override
    public void tellDagOwner(DagCommand command) {
        out.add(new TellDagOwner(command));
    }

    @Override
    public void tellDagOwner(DagCommand command, byte[] json) {
        tellDagOwner(command);
    }

    @Override
    public void dispatch(TaskDispatched dispatched, byte[] json) {
        dispatch(dispatched);
    }

    @Override
    public void event(RunEvent event, byte[] json) {
        event(event);
    }

    @Override
    public void cancel(TaskCancelRequested cancel, byte[] json) {
        cancel(cancel);
    }

    /** Dead letters are written at once, not held: they tell of a unit that was discarded. */
    @Override
    public void deadLetter(String key, byte[] value, String source, String reason) {
        output.deadLetter(key, value, source, reason);
    }
}
