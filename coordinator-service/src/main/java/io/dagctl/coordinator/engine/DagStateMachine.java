package io.dagctl.coordinator.engine;

import io.dagctl.core.event.DagApplied;
import io.dagctl.core.event.DagBackfillCancelled;
import io.dagctl.core.event.DagBackfillRequested;
import io.dagctl.core.event.DagCommand;
import io.dagctl.core.event.DagDeleted;
import io.dagctl.core.event.DagPauseSet;
import io.dagctl.core.event.DagRunEnded;
import io.dagctl.core.event.DagRunReopened;
import io.dagctl.core.event.DagTriggered;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.Submissions;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Applies the commands about stored DAGs of one partition: new versions, pause, delete, runs of a version, and the
 * end of their runs; and fires the DAGs' schedule ticks ({@link ScheduledRuns}). Every command from the API leaves its
 * outcome in the DAG's entry for the API that wrote it. Plain Java: the Kafka Streams processor gives it its store
 * and writes the run commands it returns.
 */
final class DagStateMachine {

    private static final System.Logger LOG = System.getLogger(DagStateMachine.class.getName());

    private final DagStore store;
    private final ScheduledRuns schedules;
    private final BackfillRuns backfills;
    private final DagRunLimit runLimit;

    DagStateMachine(DagStore store, RunObserver observer) {
        this.store = store;
        this.runLimit = new DagRunLimit(store);
        this.schedules = new ScheduledRuns(store, observer, runLimit);
        this.backfills = new BackfillRuns(store);
    }

    /** Applies a command at {@code now}; the run commands (a run to submit, runs to cancel) it causes. */
    List<RunCommand> apply(DagCommand command, Instant now) {
        List<RunCommand> out = new ArrayList<>();
        if (command instanceof DagApplied applied) {
            applied(applied, now, out);
        } else if (command instanceof DagPauseSet pause) {
            pauseSet(pause, now);
        } else if (command instanceof DagDeleted deleted) {
            deleted(deleted);
        } else if (command instanceof DagTriggered triggered) {
            triggered(triggered, out);
        } else if (command instanceof DagRunReopened reopened) {
            runReopened(reopened);
        } else if (command instanceof DagRunEnded ended) {
            runEnded(ended, now, out);
        } else if (command instanceof DagBackfillRequested backfill) {
            DagEntry entry = live(backfill);
            if (entry != null) {
                store.put(backfills.request(entry, backfill, now, out));
            }
        } else if (command instanceof DagBackfillCancelled cancel) {
            DagEntry entry = live(cancel);
            if (entry != null) {
                store.put(backfills.cancel(entry, cancel, now, out));
            }
        }
        return out;
    }

    /**
     * Fires the schedule ticks due by {@code now} of at most {@code limit} DAGs, starting at most {@code runBudget}
     * runs (the DAGs past it are due again at once, for the next pass). One DAG that fails does not hold back the
     * others: its timer comes back a minute later.
     */
    List<RunCommand> fireDueTicks(Instant now, int limit, int runBudget) {
        List<RunCommand> out = new ArrayList<>();
        for (String name : store.takeDueTicks(now, limit)) {
            if (out.size() >= runBudget) {
                schedules.postpone(name, now);
                continue;
            }
            List<RunCommand> own = new ArrayList<>();
            try {
                schedules.fire(name, now, own);
                out.addAll(own);
            } catch (RuntimeException e) {
                LOG.log(
                        Level.ERROR,
                        "the schedule of DAG " + name + " could not be handled; it is tried again in a" + " minute",
                        e);
                // only the timer: the entry may be what cannot be read
                store.scheduleTick(name, now.plus(ScheduledRuns.RETRY_AFTER_FAILURE));
            }
        }
        return out;
    }

    private void applied(DagApplied applied, Instant now, List<RunCommand> out) {
        DagEntry entry = store.entry(applied.name());
        String digest = Submissions.digest(applied.dag(), Map.of());
        if (entry != null && digest.equals(entry.digest())) {
            boolean undeleted = entry.deleted();
            DagEntry kept = undeleted ? comesBack(entry, applied) : entry;
            if (undeleted) {
                kept = schedules.restart(kept, store.version(applied.name(), entry.version()), now);
            }
            store.put(kept.withOutcome(
                    applied.requestId(), new DagEntry.Outcome(entry.version(), undeleted, null, null)));
            return;
        }
        int version = entry == null ? 1 : entry.version() + 1;
        DagVersionEntry previous = entry == null ? null : store.version(applied.name(), entry.version());
        boolean sameSchedule = entry != null
                && !entry.deleted()
                && previous != null
                && Objects.equals(previous.dag().schedule(), applied.dag().schedule());
        // the same schedule keeps its ticks where they were (a version stored before phases existed has none)
        Long phase = sameSchedule
                ? previous.intervalPhaseMillis()
                : DagVersionEntry.phaseFor(applied.name(), applied.dag().schedule());
        DagVersionEntry stored =
                new DagVersionEntry(applied.name(), version, digest, applied.at(), applied.dag(), phase);
        store.put(stored);
        DagEntry next;
        if (entry == null) {
            boolean paused =
                    applied.dag().schedule() != null && applied.dag().schedule().paused();
            next = schedules.restart(DagEntry.created(applied.name(), digest, paused, applied.at()), stored, now);
        } else {
            next = entry.deleted() ? comesBack(entry, applied) : entry;
            next = next.withVersion(version, digest, applied.at());
            if (!sameSchedule) {
                next = schedules.restart(next, stored, now);
            }
        }
        next = runLimit.release(next, now, out); // the new version's max_active_runs may be higher, or gone
        store.put(next.withOutcome(applied.requestId(), new DagEntry.Outcome(version, true, null, null)));
        LOG.log(Level.INFO, "DAG {0} is now version {1}", applied.name(), version);
    }

    /** A deleted DAG applied again starts as a new one would: paused when its schedule says so. */
    private static DagEntry comesBack(DagEntry deleted, DagApplied applied) {
        boolean paused =
                applied.dag().schedule() != null && applied.dag().schedule().paused();
        return deleted.withDeleted(false, applied.at()).withPaused(paused, applied.at());
    }

    private void pauseSet(DagPauseSet pause, Instant now) {
        DagEntry entry = live(pause);
        if (entry == null) {
            return;
        }
        boolean changed = entry.paused() != pause.paused();
        DagEntry next = changed ? entry.withPaused(pause.paused(), pause.at()) : entry;
        if (changed) {
            next = pause.paused() ? schedules.stop(next) : schedules.resume(next, now);
        }
        store.put(next.withOutcome(pause.requestId(), new DagEntry.Outcome(entry.version(), changed, null, null)));
    }

    private void deleted(DagDeleted deleted) {
        DagEntry entry = live(deleted);
        if (entry == null) {
            return;
        }
        DagEntry next =
                backfills.dagDeleted(schedules.stop(entry), deleted.at()).withDeleted(true, deleted.at());
        store.put(next.withOutcome(deleted.requestId(), new DagEntry.Outcome(entry.version(), true, null, null)));
        LOG.log(Level.INFO, "DAG {0} deleted (its {1} version(s) stay for its runs)", deleted.name(), entry.version());
    }

    private void triggered(DagTriggered triggered, List<RunCommand> out) {
        DagEntry entry = live(triggered);
        if (entry == null) {
            return;
        }
        String refused = null;
        DagVersionEntry version = store.version(triggered.name(), triggered.version());
        if (version == null) {
            refused = "DAG '" + triggered.name() + "' has no version " + triggered.version();
        } else if (entry.paused()) {
            refused = "DAG '" + triggered.name() + "' is paused";
        } else {
            refused = runLimit.refusal(entry);
        }
        RunSubmitted run = version == null
                ? null
                : RunSubmitted.ofStored(
                        triggered.runId(),
                        version.dag(),
                        version.version(),
                        triggered.params(),
                        triggered.trigger(),
                        triggered.at(),
                        triggered.idempotencyKey(),
                        triggered.submissionId());
        if (run != null && refused == null) {
            int bytes = Events.toJson(run.asQueued()).length; // the larger form it may be sent in
            if (bytes > RecordLimits.MAX_RECORD_BYTES) {
                refused = DagEntry.TOO_LARGE + bytes + " bytes of JSON; the limit is "
                        + RecordLimits.describe(RecordLimits.MAX_RECORD_BYTES);
            }
        }
        if (refused != null) {
            store.put(entry.withOutcome(
                    triggered.requestId(), new DagEntry.Outcome(triggered.version(), false, refused, null)));
            return;
        }
        store.put(runLimit.start(entry, run, triggered.at(), out)
                .withOutcome(
                        triggered.requestId(),
                        new DagEntry.Outcome(triggered.version(), true, null, triggered.runId())));
    }

    private void runEnded(DagRunEnded ended, Instant now, List<RunCommand> out) {
        DagEntry entry = store.entry(ended.name());
        if (entry == null) {
            return;
        }
        // a run that existed before a backfill (or a repeated tick or trigger) asked for it did not end now: it is
        // only no longer counted as unfinished
        DagEntry next = ended.existedBefore()
                ? entry.withoutRuns(List.of(ended.runId()))
                : entry.withRunEnded(ended.runId(), ended.status());
        next = runLimit.release(next, now, out);
        store.put(backfills.runEnded(next, ended, now, out));
        schedules.afterRunEnded(ended.name(), now, out);
    }

    /** A retried run runs again: it holds back the schedule's next ticks (overlap) until it ends again. */
    private void runReopened(DagRunReopened reopened) {
        DagEntry entry = store.entry(reopened.name());
        if (entry != null && !entry.deleted()) {
            store.put(entry.withRunReopened(reopened.runId()));
        }
    }

    /** The DAG's entry when it exists and is not deleted; otherwise null, with the refusal kept where it can be. */
    private DagEntry live(DagCommand command) {
        DagEntry entry = store.entry(command.name());
        if (entry == null) {
            LOG.log(
                    Level.INFO,
                    "{0} for unknown DAG {1}: nothing to do",
                    command.getClass().getSimpleName(),
                    command.name());
            return null;
        }
        if (entry.deleted()) {
            store.put(entry.withOutcome(
                    command.requestId(),
                    new DagEntry.Outcome(entry.version(), false, "DAG '" + command.name() + "' was deleted", null)));
            return null;
        }
        return entry;
    }
}
