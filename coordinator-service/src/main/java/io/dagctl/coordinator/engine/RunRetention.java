package io.dagctl.coordinator.engine;

import io.dagctl.core.report.RunSummary;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Removes a partition's finished runs once they are older than the retention, or beyond the partition's share of a
 * DAG's run limit, oldest first. Removing is deleting from the stores, which writes tombstones to their compacted
 * changelogs, in the owner's transaction; each sweep deletes a bounded number of entries, and a run's task entries
 * (100,000 for a large run) go over as many sweeps as they need: the run leaves the listing at once, its remaining
 * task entries are remembered under {@code x/<run>} in the index, and its entry goes with the last of them.
 */
final class RunRetention {

    /** Entries one sweep deletes at most (a run entry, its tasks, its index keys): one bounded transaction. */
    static final int DELETES_PER_SWEEP = 5_000;

    private static final String TASKS_LEFT = "x/";
    private static final byte[] NOTHING = new byte[0];
    private static final System.Logger LOG = System.getLogger(RunRetention.class.getName());

    private final KeyValueStore<String, byte[]> runs;
    private final KeyValueStore<String, byte[]> tasks;
    private final KeyValueStore<String, byte[]> indexStore;
    /** The timers store, for the run's held-task keys (none, unless a fault ended the run while tasks were held). */
    private final KeyValueStore<String, byte[]> timers;

    private final RunIndex index;
    private final CoordinatorConfig.Retention settings;
    private final int keptPerDag;

    RunRetention(
            KeyValueStore<String, byte[]> runs,
            KeyValueStore<String, byte[]> tasks,
            KeyValueStore<String, byte[]> indexStore,
            KeyValueStore<String, byte[]> timers,
            CoordinatorConfig.Retention settings,
            int partitions) {
        this.timers = timers;
        this.runs = runs;
        this.tasks = tasks;
        this.indexStore = indexStore;
        this.index = new RunIndex(indexStore);
        this.settings = settings;
        this.keptPerDag = settings.perPartition(partitions);
    }

    /** Removes what is due at {@code now}, up to {@link #DELETES_PER_SWEEP} entries; how many runs it removed. */
    int sweep(Instant now) {
        int[] budget = {DELETES_PER_SWEEP};
        deleteLeftTasks(budget);
        int removed = 0;
        for (RunSummary run : index.endedBefore(now.minus(settings.finishedRuns()), 1_000)) {
            if (budget[0] <= 0) {
                return removed;
            }
            remove(run, budget);
            removed++;
        }
        for (KeyValue<String, Long> dag : index.dagsOver(keptPerDag)) {
            for (RunSummary run : index.oldestEndedOf(dag.key, (int) Math.min(1_000, dag.value - keptPerDag))) {
                if (budget[0] <= 0) {
                    return removed;
                }
                remove(run, budget);
                removed++;
            }
        }
        if (removed > 0) {
            LOG.log(Level.INFO, "retention removed {0} finished run(s)", removed);
        }
        return removed;
    }

    /**
     * Takes the run out of the listings at once and deletes its task entries as far as the budget goes; the run entry
     * goes with the last of them, so that a run submitted again under the same id (a backfill, an idempotency key)
     * finds it until then instead of starting among the old run's task entries.
     */
    private void remove(RunSummary run, int[] budget) {
        index.removed(run);
        indexStore.put(TASKS_LEFT + run.runId(), NOTHING);
        budget[0] -= 8;
        deleteTasks(run.runId(), budget);
    }

    /** Goes on with the runs whose task entries an earlier sweep did not finish deleting. */
    private void deleteLeftTasks(int[] budget) {
        List<String> runIds = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = indexStore.prefixScan(TASKS_LEFT, new StringSerializer())) {
            while (it.hasNext() && runIds.size() < 1_000) {
                runIds.add(it.next().key.substring(TASKS_LEFT.length()));
            }
        }
        for (String runId : runIds) {
            if (budget[0] <= 0) {
                return;
            }
            deleteTasks(runId, budget);
        }
    }

    /** Deletes the run's task entries as far as the budget goes; then the run entry and the mark. */
    private void deleteTasks(String runId, int[] budget) {
        List<String> keys = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it =
                tasks.prefixScan(StoreNames.taskPrefix(runId), new StringSerializer())) {
            while (it.hasNext() && keys.size() < budget[0]) {
                keys.add(it.next().key);
            }
        }
        keys.forEach(tasks::delete);
        budget[0] -= keys.size();
        if (budget[0] > 0) {
            List<String> held = new ArrayList<>();
            try (KeyValueIterator<String, byte[]> it =
                    timers.range(StoreNames.heldFrom(runId), StoreNames.heldTo(runId))) {
                it.forEachRemaining(kv -> held.add(kv.key));
            }
            held.forEach(timers::delete);
            runs.delete(runId);
            indexStore.delete(TASKS_LEFT + runId);
        }
    }
}
