package io.dagctl.coordinator.engine;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.model.RunId;
import io.dagctl.core.model.ScheduleSpec;
import io.dagctl.core.parse.InvalidParamsException;
import io.dagctl.core.parse.RunParams;
import io.dagctl.core.schedule.ScheduleClock;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schedule side of a DAG's owner. A scheduled DAG has one tick timer ({@link StoreNames#DAG_TICKS}) at its next
 * tick; when it is due, every tick since the last one handled is run, skipped or caught up by the schedule's policies,
 * and the timer moves to the next tick. A tick's run has an id made of the DAG's name and the tick, and is written in
 * the owner's transaction together with the DAG's new last tick: replayed after a crash, a tick is the same run, once.
 */
final class ScheduledRuns {

    /** A tick older than this when it is handled was missed (downtime, a pause), not just late. */
    static final Duration MISSED_AFTER = Duration.ofMinutes(1);
    /** Runs one DAG's due ticks start in one pass; a longer catch-up goes on at the next pass. */
    static final int MAX_RUNS_PER_PASS = 20;

    private static final System.Logger LOG = System.getLogger(ScheduledRuns.class.getName());
    /** Missed ticks counted at most per pass (the count is a metric; a long downtime need not be walked through). */
    private static final int MAX_COUNTED = 1_000;
    /** When a DAG's schedule could not be handled, how long until it is tried again. */
    static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(1);

    private static final int CACHED_CLOCKS = 10_000;

    private final DagStore store;
    private final RunObserver observer;
    private final DagRunLimit runLimit;
    private final Map<ScheduleSpec, ScheduleClock> cronClocks = new HashMap<>();

    ScheduledRuns(DagStore store, RunObserver observer, DagRunLimit runLimit) {
        this.store = store;
        this.observer = observer;
        this.runLimit = runLimit;
    }

    /**
     * (Re)starts the schedule of {@code version} (none when it is null or has none) from {@code now}: its next tick is
     * the first to come; earlier ones are not caught up.
     */
    DagEntry restart(DagEntry entry, DagVersionEntry version, Instant now) {
        DagEntry stopped = stop(entry);
        ScheduleSpec schedule = version == null ? null : version.dag().schedule();
        if (schedule == null) {
            return stopped;
        }
        Instant next = clockOf(version).next(now).orElse(null);
        if (next != null && !entry.paused()) {
            store.scheduleTick(entry.name(), next);
        }
        return stopped.withTicks(now, entry.paused() ? null : next);
    }

    /** No tick until {@link #resume} or {@link #restart}: paused or deleted; a tick waiting to run is dropped. */
    DagEntry stop(DagEntry entry) {
        if (entry.nextTickAt() != null) {
            store.cancelTick(entry.name(), entry.nextTickAt());
        }
        return entry.withTicks(entry.lastTickAt(), null).withQueuedTick(null);
    }

    /** The DAG's timer (already taken) is due again at {@code at}. */
    void postpone(String name, Instant at) {
        DagEntry entry = store.entry(name);
        if (entry == null || entry.deleted() || entry.paused()) {
            return;
        }
        store.scheduleTick(name, at);
        store.put(entry.withTicks(entry.lastTickAt(), at));
    }

    /** Unpaused: the ticks missed meanwhile are handled at once, by the schedule's catch-up policy. */
    DagEntry resume(DagEntry entry, Instant now) {
        if (scheduleOf(entry) == null) {
            return entry;
        }
        store.scheduleTick(entry.name(), now);
        return entry.withTicks(entry.lastTickAt() != null ? entry.lastTickAt() : now, now);
    }

    /** The DAG's tick timer is due: handles the ticks since the last one handled, and sets the timer again. */
    void fire(String name, Instant now, List<RunCommand> out) {
        DagEntry entry = store.entry(name);
        if (entry == null || entry.deleted() || entry.paused()) {
            return;
        }
        DagVersionEntry version = store.version(name, entry.version());
        ScheduleSpec schedule = version == null ? null : version.dag().schedule();
        if (schedule == null) {
            store.put(entry.withTicks(entry.lastTickAt(), null));
            return;
        }
        ScheduleClock clock = clockOf(version);
        Instant from = entry.lastTickAt() != null ? entry.lastTickAt() : now;
        int cap = schedule.catchup() == ScheduleSpec.Catchup.ALL ? schedule.maxCatchup() : 1;
        List<Instant> due = clock.between(from, now, cap);
        List<Instant> toRun = due;
        if (schedule.catchup() == ScheduleSpec.Catchup.NONE && !due.isEmpty() && isMissed(due.get(0), now)) {
            toRun = List.of();
        }
        if (toRun.size() > 1 && schedule.overlap() != ScheduleSpec.Overlap.ALLOW) {
            // the runs of a catch-up could not run side by side: the latest tick stands for them
            toRun = toRun.subList(toRun.size() - 1, toRun.size());
        }
        Instant cutoff = toRun.isEmpty() ? now : toRun.get(0).minusNanos(1);
        int missed = clock.between(from, cutoff, MAX_COUNTED).size();
        if (missed > 0) {
            observer.scheduleTicksMissed(missed);
        }
        List<Instant> batch = toRun.subList(0, Math.min(toRun.size(), MAX_RUNS_PER_PASS));
        for (Instant tick : batch) {
            entry = runOrHold(entry, version, schedule, tick, now, out);
        }
        Instant lastHandled = due.isEmpty() ? from : due.get(due.size() - 1);
        Instant next;
        if (batch.size() < toRun.size()) {
            lastHandled = batch.get(batch.size() - 1); // a long catch-up goes on at the next pass
            next = now;
        } else {
            next = clock.next(now).orElse(null);
        }
        if (next != null) {
            store.scheduleTick(name, next);
        }
        store.put(entry.withTicks(lastHandled.isAfter(from) ? lastHandled : from, next));
    }

    /** A run of the DAG ended: a tick that waited for the unfinished runs ({@code queue_one}) goes now. */
    void afterRunEnded(String name, Instant now, List<RunCommand> out) {
        DagEntry entry = store.entry(name);
        if (entry == null
                || entry.queuedTick() == null
                || !entry.unfinishedRuns().isEmpty()
                || entry.deleted()
                || entry.paused()) {
            return;
        }
        DagVersionEntry version = store.version(name, entry.version());
        Instant tick = entry.queuedTick();
        DagEntry cleared = entry.withQueuedTick(null);
        store.put(
                version == null || version.dag().schedule() == null
                        ? cleared
                        : start(cleared, version, tick, now, out));
    }

    private DagEntry runOrHold(
            DagEntry entry,
            DagVersionEntry version,
            ScheduleSpec schedule,
            Instant tick,
            Instant now,
            List<RunCommand> out) {
        if (!entry.unfinishedRuns().isEmpty()) {
            switch (schedule.overlap()) {
                case SKIP -> {
                    observer.scheduleTick("skipped_overlap", Duration.between(tick, now));
                    return entry;
                }
                case QUEUE_ONE -> {
                    observer.scheduleTick("queued", Duration.between(tick, now));
                    return entry.withQueuedTick(tick);
                }
                case CANCEL_PREVIOUS -> {
                    for (String runId : entry.unfinishedRuns()) {
                        out.add(RunCancelRequested.of(
                                runId,
                                now,
                                "replaced by the run of tick " + tick + " of DAG '" + entry.name()
                                        + "' (overlap: cancel_previous)"));
                    }
                    // cancelled once: they no longer count against later ticks
                    entry = entry.withoutRuns(entry.unfinishedRuns());
                }
                case ALLOW -> {
                    // runs side by side
                }
            }
        }
        return start(entry, version, tick, now, out);
    }

    private DagEntry start(DagEntry entry, DagVersionEntry version, Instant tick, Instant now, List<RunCommand> out) {
        Map<String, String> params;
        try {
            params = RunParams.resolve(version.dag(), Map.of());
        } catch (InvalidParamsException e) {
            // the parser refuses a schedule with required parameters; a version stored before that check may have one
            LOG.log(Level.WARNING, "tick {0} of DAG {1} not run: {2}", tick, entry.name(), e.getMessage());
            observer.scheduleTick("failed", Duration.between(tick, now));
            return entry;
        }
        String runId = RunId.ofTick(entry.name(), tick);
        RunSubmitted run = RunSubmitted.scheduled(runId, version.dag(), version.version(), params, tick, now);
        int bytes = Events.toJson(run.asQueued()).length; // the larger form it may be sent in
        if (bytes > RecordLimits.MAX_RECORD_BYTES) {
            LOG.log(
                    Level.WARNING,
                    "tick {0} of DAG {1} not run: the run would be {2} bytes",
                    tick,
                    entry.name(),
                    bytes);
            observer.scheduleTick("failed", Duration.between(tick, now));
            return entry;
        }
        String refused = runLimit.refusal(entry);
        if (refused != null) {
            LOG.log(Level.WARNING, "tick {0} of DAG {1} skipped: {2}", tick, entry.name(), refused);
            observer.scheduleTick("skipped_run_limit", Duration.between(tick, now));
            return entry;
        }
        observer.scheduleTick(isMissed(tick, now) ? "caught_up" : "fired", Duration.between(tick, now));
        // a waiting older tick is superseded
        return runLimit.start(entry, run, now, out).withQueuedTick(null);
    }

    /**
     * The version's clock. A cron clock is made once per schedule (its expression is parsed then) and shared; an
     * interval's is cheap and has the version's own phase.
     */
    private ScheduleClock clockOf(DagVersionEntry version) {
        ScheduleSpec schedule = version.dag().schedule();
        if (schedule.cron() == null) {
            return version.clock();
        }
        ScheduleClock clock = cronClocks.get(schedule);
        if (clock == null) {
            if (cronClocks.size() >= CACHED_CLOCKS) {
                cronClocks.clear();
            }
            clock = new ScheduleClock(schedule, Duration.ZERO); // a cron schedule has no phase
            cronClocks.put(schedule, clock);
        }
        return clock;
    }

    private ScheduleSpec scheduleOf(DagEntry entry) {
        DagVersionEntry version = store.version(entry.name(), entry.version());
        return version == null ? null : version.dag().schedule();
    }

    private static boolean isMissed(Instant tick, Instant now) {
        return Duration.between(tick, now).compareTo(MISSED_AFTER) > 0;
    }
}
