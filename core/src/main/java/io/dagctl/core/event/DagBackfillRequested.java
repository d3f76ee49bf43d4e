package io.dagctl.core.event;

import java.time.Instant;
import java.util.Map;

/**
 * Runs the ticks of a stored DAG's schedule in a past window, {@code from} to {@code to} (both included), oldest first,
 * at most {@code maxParallel} at a time. The owner starts them as earlier ones end; a tick that already has a run is
 * skipped unless {@code rerun}.
 *
 * @param version the version whose schedule and tasks the backfill runs (the one the parameters were checked against)
 * @param params already checked against that version's declarations, defaults filled in
 * @param idempotencyKey the client's key, or null: a backfill requested again under it is the same backfill
 */
public record DagBackfillRequested(
        int v,
        String name,
        int version,
        Instant from,
        Instant to,
        int maxParallel,
        boolean rerun,
        Map<String, String> params,
        String idempotencyKey,
        String requestId,
        Instant at)
        implements DagCommand {

    /** The most runs one backfill keeps going at once. */
    public static final int MAX_PARALLEL = 64;
    /** The most ticks one backfill covers: a longer window is several backfills. */
    public static final int MAX_TICKS = 10_000;

    public DagBackfillRequested {
        Required.field(name, "DagBackfillRequested", "name");
        Required.field(from, "DagBackfillRequested", "from");
        Required.field(to, "DagBackfillRequested", "to");
        Required.field(at, "DagBackfillRequested", "at");
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("a backfill's 'to' (" + to + ") is before its 'from' (" + from + ")");
        }
        if (maxParallel < 1 || maxParallel > MAX_PARALLEL) {
            throw new IllegalArgumentException(
                    "a backfill's max_parallel is 1 to " + MAX_PARALLEL + ", not " + maxParallel);
        }
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    public static DagBackfillRequested of(
            String name,
            int version,
            Instant from,
            Instant to,
            int maxParallel,
            boolean rerun,
            Map<String, String> params,
            String idempotencyKey,
            String requestId,
            Instant at) {
        return new DagBackfillRequested(
                Events.SCHEMA_VERSION,
                name,
                version,
                from,
                to,
                maxParallel,
                rerun,
                params,
                idempotencyKey,
                requestId,
                at);
    }
}
