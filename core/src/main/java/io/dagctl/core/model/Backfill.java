package io.dagctl.core.model;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A backfill of a stored DAG: the runs of its schedule's ticks in a past window, oldest first, a bounded number at a
 * time. Its DAG's owner keeps it in the DAG's entry and moves it on as its runs end; the API and {@code dagctl
 * backfills} show it as it is.
 *
 * @param id its number among the DAG's backfills (1, 2, ...)
 * @param version the DAG version it runs
 * @param status RUNNING until every tick has run (then SUCCESS, or FAILED when a run failed) or it is CANCELLED
 * @param ticks how many ticks the window holds
 * @param lastTick the latest tick started (or skipped), or null before the first: the ticks after it are to come
 * @param running its runs that have not ended
 * @param started runs it started (ended or not)
 * @param skipped ticks that had a run already (not started again, as {@code rerun} was not asked for)
 * @param reason why it was cancelled, or null
 */
public record Backfill(
        int id,
        int version,
        Instant from,
        Instant to,
        int maxParallel,
        boolean rerun,
        Map<String, String> params,
        String idempotencyKey,
        RunStatus status,
        Instant createdAt,
        Instant endedAt,
        String reason,
        int ticks,
        Instant lastTick,
        List<String> running,
        int started,
        int skipped,
        int succeeded,
        int failed,
        int cancelled) {

    public Backfill {
        params = params == null ? Map.of() : Map.copyOf(params);
        running = running == null ? List.of() : List.copyOf(running);
    }

    public static Backfill requested(
            int id,
            int version,
            Instant from,
            Instant to,
            int maxParallel,
            boolean rerun,
            Map<String, String> params,
            String idempotencyKey,
            int ticks,
            Instant at) {
        return new Backfill(
                id,
                version,
                from,
                to,
                maxParallel,
                rerun,
                params,
                idempotencyKey,
                RunStatus.RUNNING,
                at,
                null,
                null,
                ticks,
                null,
                List.of(),
                0,
                0,
                0,
                0,
                0);
    }

    /** Ticks whose runs ended, or that were skipped. */
    public int done() {
        return skipped + succeeded + failed + cancelled;
    }

    public boolean isActive() {
        return status == RunStatus.RUNNING;
    }

    /** The run of {@code tick} was started (it may turn out to have existed: {@link #ranBefore}). */
    public Backfill withStarted(Instant tick, String runId) {
        List<String> now = new ArrayList<>(running);
        now.add(runId);
        return progress(status, endedAt, reason, tick, now, started + 1, skipped, succeeded, failed, cancelled);
    }

    /** One of its runs ended with {@code runStatus}. */
    public Backfill withRunEnded(String runId, RunStatus runStatus) {
        return progress(
                status,
                endedAt,
                reason,
                lastTick,
                without(runId),
                started,
                skipped,
                succeeded + (runStatus == RunStatus.SUCCESS ? 1 : 0),
                failed + (runStatus == RunStatus.FAILED ? 1 : 0),
                cancelled + (runStatus == RunStatus.CANCELLED ? 1 : 0));
    }

    /** The tick's run existed before the backfill asked for it: counted as skipped, not as started. */
    public Backfill ranBefore(String runId) {
        return progress(
                status,
                endedAt,
                reason,
                lastTick,
                without(runId),
                started - 1,
                skipped + 1,
                succeeded,
                failed,
                cancelled);
    }

    /** No tick of it starts any more; {@code status} says how it ended. */
    public Backfill ended(RunStatus endStatus, String why, Instant at) {
        return progress(endStatus, at, why, lastTick, running, started, skipped, succeeded, failed, cancelled);
    }

    private List<String> without(String runId) {
        List<String> now = new ArrayList<>(running);
        now.remove(runId);
        return now;
    }

    /** The same backfill (what it covers) at another point of its progress. */
    private Backfill progress(
            RunStatus newStatus,
            Instant newEndedAt,
            String newReason,
            Instant newLastTick,
            List<String> newRunning,
            int newStarted,
            int newSkipped,
            int newSucceeded,
            int newFailed,
            int newCancelled) {
        return new Backfill(
                id,
                version,
                from,
                to,
                maxParallel,
                rerun,
                params,
                idempotencyKey,
                newStatus,
                createdAt,
                newEndedAt,
                newReason,
                ticks,
                newLastTick,
                newRunning,
                newStarted,
                newSkipped,
                newSucceeded,
                newFailed,
                newCancelled);
    }
}
