package io.dagctl.coordinator.engine;

import io.dagctl.core.event.DagApplied;
import io.dagctl.core.event.DagCommand;
import io.dagctl.core.event.DagDeleted;
import io.dagctl.core.event.DagPauseSet;
import io.dagctl.core.event.DagTriggered;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.Submissions;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Optional;

/**
 * Applies the commands about stored DAGs of one partition: new versions, pause, delete, and runs of a version. Every
 * command leaves its outcome in the DAG's entry for the API that wrote it. Plain Java: the Kafka Streams processor
 * gives it its store and writes the runs it starts.
 */
final class DagStateMachine {

    private static final System.Logger LOG = System.getLogger(DagStateMachine.class.getName());

    private final DagStore store;

    DagStateMachine(DagStore store) {
        this.store = store;
    }

    /** Applies a command; the run to submit when it started one. */
    Optional<RunSubmitted> apply(DagCommand command) {
        if (command instanceof DagApplied applied) {
            applied(applied);
        } else if (command instanceof DagPauseSet pause) {
            pauseSet(pause);
        } else if (command instanceof DagDeleted deleted) {
            deleted(deleted);
        } else if (command instanceof DagTriggered triggered) {
            return triggered(triggered);
        }
        return Optional.empty();
    }

    private void applied(DagApplied applied) {
        DagEntry entry = store.entry(applied.name());
        String digest = Submissions.digest(applied.dag(), Map.of());
        if (entry != null && digest.equals(entry.digest())) {
            boolean undeleted = entry.deleted();
            DagEntry kept = undeleted ? copy(entry, entry.version(), digest, false, false, applied) : entry;
            store.put(kept.withOutcome(
                    applied.requestId(), new DagEntry.Outcome(entry.version(), undeleted, null, null)));
            return;
        }
        int version = entry == null ? 1 : entry.version() + 1;
        store.put(new DagVersionEntry(applied.name(), version, digest, applied.at(), applied.dag()));
        DagEntry next = entry == null
                ? new DagEntry(
                        applied.name(), version, digest, false, false, applied.at(), applied.at(), null, null, null)
                : copy(entry, version, digest, !entry.deleted() && entry.paused(), false, applied);
        store.put(next.withOutcome(applied.requestId(), new DagEntry.Outcome(version, true, null, null)));
        LOG.log(Level.INFO, "DAG {0} is now version {1}", applied.name(), version);
    }

    private static DagEntry copy(
            DagEntry entry, int version, String digest, boolean paused, boolean deleted, DagApplied applied) {
        return new DagEntry(
                entry.name(),
                version,
                digest,
                paused,
                deleted,
                entry.createdAt(),
                applied.at(),
                entry.lastRunId(),
                entry.lastRunAt(),
                entry.outcomes());
    }

    private void pauseSet(DagPauseSet pause) {
        DagEntry entry = live(pause);
        if (entry == null) {
            return;
        }
        boolean changed = entry.paused() != pause.paused();
        DagEntry next = new DagEntry(
                entry.name(),
                entry.version(),
                entry.digest(),
                pause.paused(),
                false,
                entry.createdAt(),
                changed ? pause.at() : entry.updatedAt(),
                entry.lastRunId(),
                entry.lastRunAt(),
                entry.outcomes());
        store.put(next.withOutcome(pause.requestId(), new DagEntry.Outcome(entry.version(), changed, null, null)));
    }

    private void deleted(DagDeleted deleted) {
        DagEntry entry = live(deleted);
        if (entry == null) {
            return;
        }
        DagEntry next = new DagEntry(
                entry.name(),
                entry.version(),
                entry.digest(),
                false,
                true,
                entry.createdAt(),
                deleted.at(),
                entry.lastRunId(),
                entry.lastRunAt(),
                entry.outcomes());
        store.put(next.withOutcome(deleted.requestId(), new DagEntry.Outcome(entry.version(), true, null, null)));
        LOG.log(Level.INFO, "DAG {0} deleted (its {1} version(s) stay for its runs)", deleted.name(), entry.version());
    }

    private Optional<RunSubmitted> triggered(DagTriggered triggered) {
        DagEntry entry = live(triggered);
        if (entry == null) {
            return Optional.empty();
        }
        String refused = null;
        DagVersionEntry version = store.version(triggered.name(), triggered.version());
        if (version == null) {
            refused = "DAG '" + triggered.name() + "' has no version " + triggered.version();
        } else if (entry.paused()) {
            refused = "DAG '" + triggered.name() + "' is paused";
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
            int bytes = Events.toJson(run).length;
            if (bytes > RecordLimits.MAX_RECORD_BYTES) {
                refused = DagEntry.TOO_LARGE + bytes + " bytes of JSON; the limit is "
                        + RecordLimits.describe(RecordLimits.MAX_RECORD_BYTES);
            }
        }
        if (refused != null) {
            store.put(entry.withOutcome(
                    triggered.requestId(), new DagEntry.Outcome(triggered.version(), false, refused, null)));
            return Optional.empty();
        }
        DagEntry next = new DagEntry(
                entry.name(),
                entry.version(),
                entry.digest(),
                entry.paused(),
                false,
                entry.createdAt(),
                entry.updatedAt(),
                triggered.runId(),
                triggered.at(),
                entry.outcomes());
        store.put(next.withOutcome(
                triggered.requestId(), new DagEntry.Outcome(triggered.version(), true, null, triggered.runId())));
        return Optional.of(run);
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
