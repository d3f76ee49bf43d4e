package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dagctl.core.model.Backfill;
import io.dagctl.core.model.RunStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A stored DAG as its owner keeps it (store {@link StoreNames#DAGS}, keyed by name); its versions are entries of their
 * own ({@link DagVersionEntry}). A deleted DAG keeps its entry, marked, so that its version numbers go on if it comes
 * back and its runs can still show the versions they ran.
 *
 * @param digest the latest version's digest: applying the same DAG again changes nothing
 * @param outcomes what the owner made of the last requests ({@link #MAX_OUTCOMES}), by request id: how the API that
 *     wrote a command learns its result
 * @param nextTickAt the schedule's next tick (a timer in {@link StoreNames#DAG_TICKS} is due then), or null
 * @param lastTickAt the latest tick that was handled (run, skipped or missed): ticks after it are still to come
 * @param queuedTick a tick waiting for the unfinished runs to end ({@code overlap: queue_one}), or null
 * @param unfinishedRuns the DAG's runs that have not ended (at most {@link #MAX_UNFINISHED} are known)
 * @param lastRunStatus how the last run that ended, ended
 * @param backfills its backfills that still run, and the latest ones that ended ({@link #MAX_ENDED_BACKFILLS})
 * @param lastBackfillId the number of its latest backfill (0 before the first)
 * @param waitingRuns its unfinished runs that wait {@code QUEUED} for a place under {@code max_active_runs}, in the
 *     order they were started (each is also in {@code unfinishedRuns}); they start in that order
 */
public record DagEntry(
        String name,
        int version,
        String digest,
        boolean paused,
        boolean deleted,
        Instant createdAt,
        Instant updatedAt,
        String lastRunId,
        Instant lastRunAt,
        Map<String, Outcome> outcomes,
        Instant nextTickAt,
        Instant lastTickAt,
        Instant queuedTick,
        List<String> unfinishedRuns,
        RunStatus lastRunStatus,
        List<Backfill> backfills,
        int lastBackfillId,
        // left out when empty: an entry without waiting runs is written as before they existed
        @JsonInclude(JsonInclude.Include.NON_EMPTY) List<String> waitingRuns) {

    /** Enough that a burst of triggers does not push out an outcome before the API that waits for it reads it. */
    static final int MAX_OUTCOMES = 128;
    /** How the refusal of a run too large for a record begins (the API answers it with 413). */
    public static final String TOO_LARGE = "the run would be ";

    static final int MAX_UNFINISHED = 1_000;
    /** Runs that may wait for {@code max_active_runs}; a trigger past it is refused, a schedule's tick skipped. */
    public static final int MAX_WAITING = 500;
    /** Ended backfills kept to be shown; the running ones are all kept. */
    static final int MAX_ENDED_BACKFILLS = 16;
    /** Backfills of one DAG that may run at once. */
    public static final int MAX_ACTIVE_BACKFILLS = 8;

    /**
     * @param changed whether the request changed anything (a new version, a pause that was not one already, a run)
     * @param refused why the owner did not do it (the DAG was deleted meanwhile, ...), or null
     * @param backfill the backfill a backfill request made (or found under its idempotency key), or null
     */
    public record Outcome(int version, boolean changed, String refused, String runId, Integer backfill) {

        public Outcome(int version, boolean changed, String refused, String runId) {
            this(version, changed, refused, runId, null);
        }
    }

    public DagEntry {
        outcomes = outcomes == null ? Map.of() : outcomes;
        unfinishedRuns = unfinishedRuns == null ? List.of() : List.copyOf(unfinishedRuns);
        backfills = backfills == null ? List.of() : List.copyOf(backfills);
        waitingRuns = waitingRuns == null ? List.of() : List.copyOf(waitingRuns);
    }

    static DagEntry created(String name, String digest, boolean paused, Instant at) {
        return new DagEntry(
                name, 1, digest, paused, false, at, at, null, null, null, null, null, null, null, null, null, 0, null);
    }

    DagEntry withOutcome(String requestId, Outcome outcome) {
        if (requestId == null) {
            return this;
        }
        Map<String, Outcome> kept = new LinkedHashMap<>(outcomes);
        kept.put(requestId, outcome);
        while (kept.size() > MAX_OUTCOMES) {
            kept.remove(kept.keySet().iterator().next());
        }
        return new Builder(this).outcomes(kept).build();
    }

    DagEntry withVersion(int version, String digest, Instant at) {
        return new Builder(this).version(version).digest(digest).updatedAt(at).build();
    }

    DagEntry withPaused(boolean paused, Instant at) {
        return new Builder(this).paused(paused).updatedAt(at).build();
    }

    DagEntry withDeleted(boolean deleted, Instant at) {
        return new Builder(this).deleted(deleted).paused(false).updatedAt(at).build();
    }

    /** A run of the DAG started (it is the last one, and unfinished), {@code queued} when it waits for a place under {@code max_active_runs}. */
    DagEntry withRunStarted(String runId, Instant at, boolean queued) {
        Builder next = new Builder(this).lastRunId(runId).lastRunAt(at).unfinishedRuns(unfinishedWith(runId));
        if (queued && !waitingRuns.contains(runId)) {
            List<String> waiting = new ArrayList<>(waitingRuns);
            waiting.add(runId);
            next.waitingRuns(waiting);
        }
        return next.build();
    }

    /** Its unfinished runs that do not wait: the ones counted against {@code max_active_runs}. */
    public int activeRuns() {
        return unfinishedRuns.size() - waitingRuns.size();
    }

    /** Whether a new run would have to wait: {@code limit} runs are active already (a null limit: never). */
    boolean atRunLimit(Integer limit) {
        return limit != null && activeRuns() >= limit;
    }

    /** The oldest waiting run starts: it no longer waits, and counts as active. */
    DagEntry withRunReleased(String runId) {
        List<String> waiting = new ArrayList<>(waitingRuns);
        waiting.remove(runId);
        return new Builder(this).waitingRuns(waiting).build();
    }

    /** A finished run runs again (retried): unfinished once more. */
    DagEntry withRunReopened(String runId) {
        return new Builder(this).unfinishedRuns(unfinishedWith(runId)).build();
    }

    /** The unfinished runs and this one (once: a repeated submission of the same run is one run), the newest kept. */
    private List<String> unfinishedWith(String runId) {
        List<String> unfinished = new ArrayList<>(unfinishedRuns);
        if (!unfinished.contains(runId)) {
            unfinished.add(runId);
        }
        // past the cap the oldest active run is forgotten; a waiting one must stay known to be let go
        for (int i = 0; unfinished.size() > MAX_UNFINISHED && i < unfinished.size(); ) {
            if (waitingRuns.contains(unfinished.get(i))) {
                i++;
            } else {
                unfinished.remove(i);
            }
        }
        return unfinished;
    }

    /** These runs are being cancelled: they no longer hold back the schedule. */
    DagEntry withoutRuns(List<String> runIds) {
        List<String> unfinished = new ArrayList<>(unfinishedRuns);
        unfinished.removeAll(runIds);
        List<String> waiting = new ArrayList<>(waitingRuns);
        waiting.removeAll(runIds);
        return new Builder(this).unfinishedRuns(unfinished).waitingRuns(waiting).build();
    }

    DagEntry withRunEnded(String runId, RunStatus status) {
        List<String> unfinished = new ArrayList<>(unfinishedRuns);
        unfinished.remove(runId);
        List<String> waiting = new ArrayList<>(waitingRuns);
        waiting.remove(runId);
        return new Builder(this)
                .unfinishedRuns(unfinished)
                .waitingRuns(waiting)
                .lastRunStatus(status)
                .build();
    }

    DagEntry withTicks(Instant lastTickAt, Instant nextTickAt) {
        return new Builder(this).lastTickAt(lastTickAt).nextTickAt(nextTickAt).build();
    }

    DagEntry withQueuedTick(Instant tick) {
        return new Builder(this).queuedTick(tick).build();
    }

    /** The backfill with this number, or null (never one, or ended long enough ago to be forgotten). */
    public Backfill backfill(int id) {
        return backfills.stream().filter(b -> b.id() == id).findFirst().orElse(null);
    }

    /** A new backfill, numbered after the last one. */
    DagEntry withNewBackfill(Backfill backfill) {
        List<Backfill> all = new ArrayList<>(backfills);
        all.add(backfill);
        return new Builder(this)
                .backfills(keptBackfills(all))
                .lastBackfillId(backfill.id())
                .build();
    }

    /** The backfill (by its number) in its new state. */
    DagEntry withBackfill(Backfill backfill) {
        List<Backfill> all = new ArrayList<>(backfills);
        all.replaceAll(b -> b.id() == backfill.id() ? backfill : b);
        return new Builder(this).backfills(keptBackfills(all)).build();
    }

    /** Every running backfill, and the latest ended ones whose runs have all ended. */
    private static List<Backfill> keptBackfills(List<Backfill> all) {
        long ended =
                all.stream().filter(b -> !b.isActive() && b.running().isEmpty()).count();
        List<Backfill> kept = new ArrayList<>(all);
        for (int i = 0; i < kept.size() && ended > MAX_ENDED_BACKFILLS; i++) {
            Backfill b = kept.get(i);
            if (!b.isActive() && b.running().isEmpty()) {
                kept.remove(i--);
                ended--;
            }
        }
        return kept;
    }

    /** Copies an entry with a few fields changed. */
    private static final class Builder {
        private final DagEntry e;
        private int version;
        private String digest;
        private boolean paused;
        private boolean deleted;
        private Instant updatedAt;
        private String lastRunId;
        private Instant lastRunAt;
        private Map<String, Outcome> outcomes;
        private Instant nextTickAt;
        private Instant lastTickAt;
        private Instant queuedTick;
        private List<String> unfinishedRuns;
        private RunStatus lastRunStatus;
        private List<Backfill> backfills;
        private int lastBackfillId;
        private List<String> waitingRuns;

        Builder(DagEntry e) {
            this.e = e;
            version = e.version;
            digest = e.digest;
            paused = e.paused;
            deleted = e.deleted;
            updatedAt = e.updatedAt;
            lastRunId = e.lastRunId;
            lastRunAt = e.lastRunAt;
            outcomes = e.outcomes;
            nextTickAt = e.nextTickAt;
            lastTickAt = e.lastTickAt;
            queuedTick = e.queuedTick;
            unfinishedRuns = e.unfinishedRuns;
            lastRunStatus = e.lastRunStatus;
            backfills = e.backfills;
            lastBackfillId = e.lastBackfillId;
            waitingRuns = e.waitingRuns;
        }

        Builder version(int v) {
            version = v;
            return this;
        }

        Builder digest(String d) {
            digest = d;
            return this;
        }

        Builder paused(boolean p) {
            paused = p;
            return this;
        }

        Builder deleted(boolean d) {
            deleted = d;
            return this;
        }

        Builder updatedAt(Instant at) {
            updatedAt = at;
            return this;
        }

        Builder lastRunId(String id) {
            lastRunId = id;
            return this;
        }

        Builder lastRunAt(Instant at) {
            lastRunAt = at;
            return this;
        }

        Builder outcomes(Map<String, Outcome> o) {
            outcomes = o;
            return this;
        }

        Builder nextTickAt(Instant at) {
            nextTickAt = at;
            return this;
        }

        Builder lastTickAt(Instant at) {
            lastTickAt = at;
            return this;
        }

        Builder queuedTick(Instant at) {
            queuedTick = at;
            return this;
        }

        Builder unfinishedRuns(List<String> runs) {
            unfinishedRuns = runs;
            return this;
        }

        Builder lastRunStatus(RunStatus s) {
            lastRunStatus = s;
            return this;
        }

        Builder backfills(List<Backfill> b) {
            backfills = b;
            return this;
        }

        Builder lastBackfillId(int id) {
            lastBackfillId = id;
            return this;
        }

        Builder waitingRuns(List<String> runs) {
            waitingRuns = runs;
            return this;
        }

        DagEntry build() {
            return new DagEntry(
                    e.name,
                    version,
                    digest,
                    paused,
                    deleted,
                    e.createdAt,
                    updatedAt,
                    lastRunId,
                    lastRunAt,
                    outcomes,
                    nextTickAt,
                    lastTickAt,
                    queuedTick,
                    unfinishedRuns,
                    lastRunStatus,
                    backfills,
                    lastBackfillId,
                    waitingRuns);
        }
    }
}
