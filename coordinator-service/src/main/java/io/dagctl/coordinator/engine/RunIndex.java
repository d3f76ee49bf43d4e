package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.core.type.TypeReference;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.RunSummary;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * A partition's runs ordered by time, kept by the partition's owner next to the run entries (store {@link
 * StoreNames#RUN_INDEX}, changelogged like them): listings read a page of it instead of every run entry, a partition
 * assignment reads only the unfinished runs, and retention finds the oldest finished runs. Keys (times are epoch
 * milliseconds, 19 digits, so that they sort as text):
 *
 * <ul>
 *   <li>{@code t/<submitted>/<run>} → the run's {@link RunSummary} (JSON)
 *   <li>{@code d/<dag>/<submitted>/<run>}, {@code s/<status>/<submitted>/<run>} → nothing: the same runs by DAG, by
 *       status
 *   <li>{@code a/<run>} → nothing, while the run has not ended; {@code e/<ended>/<submitted>/<run>} → nothing, once
 *       it has
 *   <li>{@code n} → how many runs the partition holds; {@code n/<dag>} → how many of them are the DAG's
 *   <li>{@code c/<run>} → how many of the run's tasks are in each status (JSON), changed once per unit of work
 *   <li>{@code v} → present once the index holds every run of the partition
 * </ul>
 */
public final class RunIndex {

    static final String BY_TIME = "t/";
    static final String BY_DAG = "d/";
    static final String BY_STATUS = "s/";
    static final String ACTIVE = "a/";
    static final String ENDED = "e/";
    static final String COUNT_ALL = "n";
    static final String COUNT = "n/";
    static final String BUILT = "v";
    static final String TASK_COUNTS = "c/";
    private static final TypeReference<Map<TaskStatus, Integer>> COUNTS = new TypeReference<>() {};
    private static final byte[] NOTHING = new byte[0];
    private static final int REMEMBERED_RUNS = 10_000;

    private final KeyValueStore<String, byte[]> store;
    /** The summary last written of each unfinished run (this index's processor is the only writer of its store). */
    private final Map<String, RunSummary> lastWritten = new HashMap<>();

    RunIndex(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    static String millis(Instant at) {
        return String.format("%019d", at.toEpochMilli());
    }

    /** A run's place in the time order: {@code <submitted>/<run>}, which listings also use as their cursor. */
    public static String position(Instant submittedAt, String runId) {
        return millis(submittedAt) + "/" + runId;
    }

    /** Keeps the index in step with the run entry just written (nothing is written when its summary is unchanged). */
    void saved(RunEntry run) {
        RunSummary summary = run.summary();
        // a run entry is written at every task end; its summary changes far less often: compare in memory first
        if (summary.equals(lastWritten.get(run.runId()))) {
            return;
        }
        remember(summary);
        byte[] json = Events.toJson(summary);
        String position = position(run.submittedAt(), run.runId());
        byte[] old = store.get(BY_TIME + position);
        if (old != null && Arrays.equals(old, json)) {
            return;
        }
        store.put(BY_TIME + position, json);
        RunSummary before = old == null ? null : Events.fromJson(old, RunSummary.class);
        if (before == null) {
            store.put(BY_DAG + run.dag() + "/" + position, NOTHING);
            add(COUNT_ALL, 1);
            add(COUNT + run.dag(), 1);
        }
        if (before != null
                && before.status() == summary.status()
                && (!summary.status().isTerminal() || endKey(before).equals(endKey(summary)))) {
            return;
        }
        if (before != null) {
            store.delete(BY_STATUS + before.status() + "/" + position);
            if (before.status().isTerminal()) {
                store.delete(endKey(before));
            }
        }
        store.put(BY_STATUS + summary.status() + "/" + position, NOTHING);
        if (summary.status().isTerminal()) {
            store.delete(ACTIVE + run.runId());
            store.put(endKey(summary), NOTHING);
        } else {
            store.put(ACTIVE + run.runId(), NOTHING);
        }
    }

    /** Where a finished run sits in the order of ends (a run that failed at submission ended when it was submitted). */
    private static String endKey(RunSummary run) {
        Instant ended = run.endedAt() != null ? run.endedAt() : run.submittedAt();
        return ENDED + millis(ended) + "/" + position(run.submittedAt(), run.runId());
    }

    private void remember(RunSummary summary) {
        if (summary.status().isTerminal()) {
            lastWritten.remove(summary.runId());
            return;
        }
        if (lastWritten.size() >= REMEMBERED_RUNS) {
            lastWritten.clear();
        }
        lastWritten.put(summary.runId(), summary);
    }

    /** Takes a removed run out of every order. */
    void removed(RunSummary run) {
        lastWritten.remove(run.runId());
        String position = position(run.submittedAt(), run.runId());
        if (store.delete(BY_TIME + position) == null) {
            return;
        }
        store.delete(BY_DAG + run.dag() + "/" + position);
        store.delete(BY_STATUS + run.status() + "/" + position);
        store.delete(ACTIVE + run.runId());
        store.delete(endKey(run));
        add(COUNT_ALL, -1);
        add(COUNT + run.dag(), -1);
        store.delete(TASK_COUNTS + run.runId());
    }

    /**
     * Adds what one unit of work changed to the run's task counts. A run that has none yet is either new (every
     * change is a task entering its first status) or older than the counts: then its tasks, as they now stand, are
     * counted once.
     */
    void addTaskCounts(String runId, Map<TaskStatus, Integer> deltas, Supplier<List<TaskStatus>> currentStatuses) {
        Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
        byte[] old = store.get(TASK_COUNTS + runId);
        if (old != null) {
            counts.putAll(readCounts(old));
            deltas.forEach((status, delta) -> counts.merge(status, delta, Integer::sum));
        } else if (deltas.values().stream().allMatch(delta -> delta >= 0)) {
            counts.putAll(deltas);
        } else {
            currentStatuses.get().forEach(status -> counts.merge(status, 1, Integer::sum));
        }
        counts.values().removeIf(n -> n == 0);
        store.put(TASK_COUNTS + runId, Events.toJson(counts));
    }

    /** How many of the run's tasks are in each status, or null when they were never counted (an older run). */
    public static Map<TaskStatus, Integer> taskCounts(ReadOnlyKeyValueStore<String, byte[]> index, String runId) {
        byte[] json = index.get(TASK_COUNTS + runId);
        return json == null ? null : readCounts(json);
    }

    private static Map<TaskStatus, Integer> readCounts(byte[] json) {
        try {
            return new EnumMap<>(Events.mapper().readValue(json, COUNTS));
        } catch (IOException e) {
            throw new MalformedEventException("not valid task counts: " + e.getMessage());
        }
    }

    /** The runs that have not ended, by id. */
    List<String> activeRunIds() {
        List<String> ids = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(ACTIVE, new StringSerializer())) {
            it.forEachRemaining(kv -> ids.add(kv.key.substring(ACTIVE.length())));
        }
        return ids;
    }

    boolean isBuilt() {
        return store.get(BUILT) != null;
    }

    void markBuilt() {
        store.put(BUILT, NOTHING);
    }

    /** The summaries of the runs that ended before {@code before}, oldest end first, at most {@code limit}. */
    List<RunSummary> endedBefore(Instant before, int limit) {
        List<RunSummary> found = new ArrayList<>();
        List<String> orphans = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.range(ENDED, ENDED + millis(before))) {
            while (it.hasNext() && found.size() < limit) {
                String key = it.next().key;
                byte[] json = store.get(BY_TIME + key.substring(ENDED.length() + 20));
                if (json != null) {
                    found.add(Events.fromJson(json, RunSummary.class));
                } else {
                    orphans.add(key);
                }
            }
        }
        orphans.forEach(store::delete); // never expected; a left-over key must not be read at every sweep
        return found;
    }

    /** The DAGs of the partition with more than {@code max} runs, and how many each has. */
    List<KeyValue<String, Long>> dagsOver(long max) {
        List<KeyValue<String, Long>> over = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.prefixScan(COUNT, new StringSerializer())) {
            it.forEachRemaining(kv -> {
                long n = count(kv.value);
                if (n > max) {
                    over.add(KeyValue.pair(kv.key.substring(COUNT.length()), n));
                }
            });
        }
        return over;
    }

    /** The DAG's oldest finished runs, at most {@code limit}. */
    List<RunSummary> oldestEndedOf(String dag, int limit) {
        List<RunSummary> found = new ArrayList<>();
        String prefix = BY_DAG + dag + "/";
        try (KeyValueIterator<String, byte[]> it = store.range(prefix, prefix + "\uffff")) {
            while (it.hasNext() && found.size() < limit) {
                byte[] json = store.get(BY_TIME + it.next().key.substring(prefix.length()));
                RunSummary summary = json == null ? null : Events.fromJson(json, RunSummary.class);
                if (summary != null && summary.status().isTerminal()) {
                    found.add(summary);
                }
            }
        }
        return found;
    }

    private void add(String key, long delta) {
        long n = Math.max(0, count(store.get(key)) + delta);
        if (n == 0 && !key.equals(COUNT_ALL)) {
            store.delete(key);
        } else {
            store.put(key, Long.toString(n).getBytes(StandardCharsets.US_ASCII));
        }
    }

    static long count(byte[] value) {
        return value == null ? 0 : Long.parseLong(new String(value, StandardCharsets.US_ASCII));
    }

    /** Read side: a page of a partition's runs, newest first, through a read-only view of the index. */
    public static List<RunSummary> newest(ReadOnlyKeyValueStore<String, byte[]> index, RunFilter filter, int limit) {
        String prefix;
        if (filter.status() != null) {
            prefix = BY_STATUS + filter.status() + "/";
        } else if (filter.dag() != null) {
            prefix = BY_DAG + filter.dag() + "/";
        } else {
            prefix = BY_TIME;
        }
        String from = prefix + (filter.since() == null ? "" : millis(filter.since()));
        String to = prefix + upperPosition(filter);
        List<RunSummary> page = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = index.reverseRange(from, to)) {
            while (it.hasNext() && page.size() < limit) {
                KeyValue<String, byte[]> kv = it.next();
                String position = kv.key.substring(prefix.length());
                if (filter.cursor() != null && position.compareTo(filter.cursor()) >= 0) {
                    continue;
                }
                byte[] json = prefix.equals(BY_TIME) ? kv.value : index.get(BY_TIME + position);
                if (json == null) {
                    continue;
                }
                RunSummary run = Events.fromJson(json, RunSummary.class);
                if (filter.matches(run)) {
                    page.add(run.withTaskCounts(taskCounts(index, run.runId())));
                }
            }
        }
        return page;
    }

    /** How many of the partition's runs are in {@code status}: its keys in the status order, counted without values. */
    public static long countInStatus(ReadOnlyKeyValueStore<String, byte[]> index, RunStatus status) {
        long n = 0;
        try (KeyValueIterator<String, byte[]> it = index.prefixScan(BY_STATUS + status + "/", new StringSerializer())) {
            while (it.hasNext()) {
                it.next();
                n++;
            }
        }
        return n;
    }

    /** How many runs the partition holds (of {@code dag} when it is not null). */
    public static long count(ReadOnlyKeyValueStore<String, byte[]> index, String dag) {
        return count(index.get(dag == null ? COUNT_ALL : COUNT + dag));
    }

    /** The highest position a page may hold: before the cursor, not after {@code until}. */
    private static String upperPosition(RunFilter filter) {
        String top = filter.until() == null ? "\uffff" : millis(filter.until()) + "/\uffff";
        if (filter.cursor() != null && filter.cursor().compareTo(top) < 0) {
            top = filter.cursor();
        }
        return top;
    }

    /** Filters and the cursor of a listing; null means any. */
    public record RunFilter(RunStatus status, String dag, String trigger, Instant since, Instant until, String cursor) {

        boolean matches(RunSummary run) {
            return (status == null || run.status() == status)
                    && (dag == null || dag.equals(run.dag()))
                    && (trigger == null || trigger.equals(run.trigger()));
        }
    }
}
