package io.dagctl.coordinator.engine;

import io.dagctl.core.event.DagBackfillCancelled;
import io.dagctl.core.event.DagBackfillRequested;
import io.dagctl.core.event.DagRunEnded;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.model.Backfill;
import io.dagctl.core.model.RunId;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.ScheduleSpec;
import io.dagctl.core.schedule.ScheduleClock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The backfill side of a DAG's owner. A backfill starts the runs of its window's ticks oldest first, never more than
 * its {@code max_parallel} at once, and the next ones as its runs end ({@link DagRunEnded}); each start is written in
 * the owner's transaction with the backfill's new state, so a crash neither skips nor repeats a tick. A tick's run has
 * the id its schedule would give it: a tick that already has a run (the schedule's, an earlier backfill's) is not run
 * again, as the run's owner answers that it existed, unless the backfill reruns, which gives its runs ids of their own.
 */
final class BackfillRuns {

    private final DagStore store;

    BackfillRuns(DagStore store) {
        this.store = store;
    }

    /** A rerun's runs get ids of their own (suffix {@code -b<backfill>}), so that the ticks' earlier runs stay. */
    static String runId(String name, Backfill backfill, Instant tick) {
        String id = RunId.ofTick(name, tick);
        return backfill.rerun() ? id + "-b" + backfill.id() : id;
    }

    /** Starts a backfill, or finds the one made under the same idempotency key; the entry it leaves. */
    DagEntry request(DagEntry entry, DagBackfillRequested request, Instant now, List<RunCommand> out) {
        if (request.idempotencyKey() != null) {
            for (Backfill b : entry.backfills()) {
                if (request.idempotencyKey().equals(b.idempotencyKey())) {
                    return entry.withOutcome(
                            request.requestId(), new DagEntry.Outcome(b.version(), false, null, null, b.id()));
                }
            }
        }
        String refused = refusal(entry, request);
        if (refused != null) {
            return entry.withOutcome(
                    request.requestId(), new DagEntry.Outcome(request.version(), false, refused, null));
        }
        DagVersionEntry version = store.version(entry.name(), request.version());
        Backfill backfill = Backfill.requested(
                entry.lastBackfillId() + 1,
                request.version(),
                request.from(),
                request.to(),
                request.maxParallel(),
                request.rerun(),
                request.params(),
                request.idempotencyKey(),
                version.clock().countIn(request.from(), request.to(), DagBackfillRequested.MAX_TICKS),
                now);
        backfill = startNext(entry.name(), backfill, version, now, out);
        return entry.withNewBackfill(backfill)
                .withOutcome(
                        request.requestId(), new DagEntry.Outcome(request.version(), true, null, null, backfill.id()));
    }

    /** Why the owner does not start the backfill, or null. */
    private String refusal(DagEntry entry, DagBackfillRequested request) {
        String dag = "DAG '" + entry.name() + "'";
        long active = entry.backfills().stream().filter(Backfill::isActive).count();
        if (active >= DagEntry.MAX_ACTIVE_BACKFILLS) {
            return dag + " has " + active + " backfills running, the most it may have; wait for one to end or cancel"
                    + " one (dagctl backfills " + entry.name() + " --cancel ID)";
        }
        DagVersionEntry version = store.version(entry.name(), request.version());
        if (version == null) {
            return dag + " has no version " + request.version();
        }
        ScheduleSpec schedule = version.dag().schedule();
        if (schedule == null) {
            return "version " + request.version() + " of " + dag + " has no schedule: a backfill runs a schedule's"
                    + " ticks";
        }
        int ticks = version.clock().countIn(request.from(), request.to(), DagBackfillRequested.MAX_TICKS);
        if (ticks == 0) {
            return "no tick of " + dag + "'s schedule (" + schedule.describe() + ") falls between " + request.from()
                    + " and " + request.to();
        }
        if (ticks > DagBackfillRequested.MAX_TICKS) {
            return "the window holds more than " + DagBackfillRequested.MAX_TICKS + " ticks of " + dag + "'s schedule ("
                    + schedule.describe() + "); backfill it in parts";
        }
        return null;
    }

    /** Stops a backfill: no tick of it starts any more, and its runs still running are cancelled. */
    DagEntry cancel(DagEntry entry, DagBackfillCancelled cancel, Instant now, List<RunCommand> out) {
        Backfill backfill = entry.backfill(cancel.backfill());
        if (backfill == null) {
            return entry.withOutcome(
                    cancel.requestId(),
                    new DagEntry.Outcome(
                            entry.version(),
                            false,
                            "DAG '" + entry.name() + "' has no backfill " + cancel.backfill(),
                            null));
        }
        if (!backfill.isActive()) {
            return entry.withOutcome(
                    cancel.requestId(), new DagEntry.Outcome(entry.version(), false, null, null, backfill.id()));
        }
        for (String runId : backfill.running()) {
            out.add(RunCancelRequested.of(
                    runId, now, "backfill " + backfill.id() + " of DAG '" + entry.name() + "' was cancelled"));
        }
        return entry.withBackfill(backfill.ended(RunStatus.CANCELLED, "cancelled", now))
                .withOutcome(
                        cancel.requestId(), new DagEntry.Outcome(entry.version(), true, null, null, backfill.id()));
    }

    /** The DAG was deleted: its backfills start no more runs (those running go on, as the DAG's other runs do). */
    DagEntry dagDeleted(DagEntry entry, Instant now) {
        for (Backfill backfill : entry.backfills()) {
            if (backfill.isActive()) {
                entry = entry.withBackfill(backfill.ended(RunStatus.CANCELLED, "the DAG was deleted", now));
            }
        }
        return entry;
    }

    /**
     * One of the DAG's runs ended. A run that existed before a backfill asked for it is the newest asking backfill's
     * skipped tick (older ones holding the same id started it themselves); a run that ended counts in every backfill
     * that holds it. Each of them starts its next ticks.
     */
    DagEntry runEnded(DagEntry entry, DagRunEnded ended, Instant now, List<RunCommand> out) {
        List<Backfill> holding = entry.backfills().stream()
                .filter(b -> b.running().contains(ended.runId()))
                .toList();
        if (ended.existedBefore() && !holding.isEmpty()) {
            holding = List.of(holding.get(holding.size() - 1));
        }
        for (Backfill backfill : holding) {
            Backfill next = ended.existedBefore()
                    ? backfill.ranBefore(ended.runId())
                    : backfill.withRunEnded(ended.runId(), ended.status());
            DagVersionEntry version = store.version(entry.name(), next.version());
            entry = entry.withBackfill(startNext(entry.name(), next, version, now, out));
        }
        return entry;
    }

    /** Starts the backfill's next ticks as far as its parallelism allows; ends it after its last run ended. */
    private Backfill startNext(
            String name, Backfill backfill, DagVersionEntry version, Instant now, List<RunCommand> out) {
        if (!backfill.isActive()) {
            return backfill;
        }
        if (version == null || version.dag().schedule() == null) {
            return backfill.ended(RunStatus.FAILED, "version " + backfill.version() + " is gone", now);
        }
        ScheduleClock clock = version.clock();
        Optional<Instant> next = nextTick(clock, backfill);
        while (next.isPresent() && backfill.running().size() < backfill.maxParallel()) {
            Instant tick = next.get();
            String runId = runId(name, backfill, tick);
            RunSubmitted run =
                    RunSubmitted.backfilled(runId, version.dag(), version.version(), backfill.params(), tick, now);
            int bytes = Events.toJson(run).length;
            if (bytes > RecordLimits.MAX_RECORD_BYTES) {
                return backfill.ended(
                        RunStatus.FAILED,
                        "the run of tick " + tick + " would be " + bytes + " bytes of JSON; the limit is "
                                + RecordLimits.describe(RecordLimits.MAX_RECORD_BYTES),
                        now);
            }
            out.add(run);
            backfill = backfill.withStarted(tick, runId);
            next = nextTick(clock, backfill);
        }
        if (next.isEmpty() && backfill.running().isEmpty()) {
            return backfill.ended(
                    backfill.failed() + backfill.cancelled() > 0 ? RunStatus.FAILED : RunStatus.SUCCESS, null, now);
        }
        return backfill;
    }

    private static Optional<Instant> nextTick(ScheduleClock clock, Backfill backfill) {
        Instant after = backfill.lastTick() != null
                ? backfill.lastTick()
                : backfill.from().minusNanos(1);
        return clock.next(after).filter(t -> !t.isAfter(backfill.to()));
    }
}
