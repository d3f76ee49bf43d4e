package io.dagctl.coordinator.engine;

import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.RunReleased;
import io.dagctl.core.event.RunSubmitted;
import java.time.Instant;
import java.util.List;

/**
 * A stored DAG's {@code max_active_runs}, kept by the DAG's owner: a run started while the DAG has that many active
 * runs is submitted {@code QUEUED} and waits in the DAG's entry; each end of an active run (or a raised limit) lets the
 * oldest waiting ones go with a {@link RunReleased}. The count and the commands change in the owner's transaction, so
 * the limit holds across a failover. The limit is the latest version's.
 */
final class DagRunLimit {

    private final DagStore store;

    DagRunLimit(DagStore store) {
        this.store = store;
    }

    /** The latest version's {@code max_active_runs}, or null (no limit, or no version to read it from). */
    Integer limitOf(DagEntry entry) {
        DagVersionEntry latest = store.version(entry.name(), entry.version());
        return latest == null ? null : latest.dag().maxActiveRuns();
    }

    /** Why one more run cannot even wait (as many wait as may), or null. */
    String refusal(DagEntry entry) {
        Integer limit = limitOf(entry);
        if (entry.atRunLimit(limit) && entry.waitingRuns().size() >= DagEntry.MAX_WAITING) {
            return "DAG '" + entry.name() + "' has " + entry.activeRuns() + " run(s) running (max_active_runs: " + limit
                    + ") and " + DagEntry.MAX_WAITING + " waiting, the most that may wait";
        }
        return null;
    }

    /** Starts {@code run}, {@code QUEUED} when the DAG is at its limit; the entry that counts it. */
    DagEntry start(DagEntry entry, RunSubmitted run, Instant at, List<RunCommand> out) {
        // a repeated submission of a run it knows (an idempotency key's) keeps its place, waiting or not
        boolean queued = entry.unfinishedRuns().contains(run.runId())
                ? entry.waitingRuns().contains(run.runId())
                : !entry.waitingRuns().isEmpty() || entry.atRunLimit(limitOf(entry));
        out.add(queued ? run.asQueued() : run);
        return entry.withRunStarted(run.runId(), at, queued);
    }

    /** Lets the oldest waiting runs go while the DAG is under its limit. */
    DagEntry release(DagEntry entry, Instant now, List<RunCommand> out) {
        if (entry.waitingRuns().isEmpty()) {
            return entry;
        }
        Integer limit = limitOf(entry);
        while (!entry.waitingRuns().isEmpty() && !entry.atRunLimit(limit)) {
            String runId = entry.waitingRuns().get(0);
            out.add(RunReleased.of(runId, now));
            entry = entry.withRunReleased(runId);
        }
        return entry;
    }
}
