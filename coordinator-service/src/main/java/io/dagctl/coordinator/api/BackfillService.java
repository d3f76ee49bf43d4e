package io.dagctl.coordinator.api;

import io.dagctl.coordinator.engine.DagEntry;
import io.dagctl.coordinator.engine.DagVersionEntry;
import io.dagctl.core.event.DagBackfillCancelled;
import io.dagctl.core.event.DagBackfillRequested;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.Submissions;
import io.dagctl.core.model.Backfill;
import io.dagctl.core.model.ScheduleSpec;
import io.dagctl.core.parse.InvalidParamsException;
import io.dagctl.core.parse.RunParams;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Backfills through the API: checked here (window, parallelism, parameters, the DAG's schedule), started and moved on
 * by the DAG's owner, read back from its entry.
 */
@ApplicationScoped
public class BackfillService {

    static final int DEFAULT_MAX_PARALLEL = 4;

    private final DagService dags;
    private final DagReader reader;

    public BackfillService(DagService dags, DagReader reader) {
        this.dags = dags;
        this.reader = reader;
    }

    /** The window's bounds, its parallelism and parameters as sent; every one is checked before anything is written. */
    record Request(String from, String to, Integer maxParallel, boolean rerun, List<String> paramArgs) {}

    Response start(String name, Request request, String idempotencyKey, String authorization) {
        Response bad = RunSubmitter.checkIdempotencyKey(idempotencyKey);
        if (bad != null) {
            return bad;
        }
        Instant now = Instant.now();
        Instant from;
        Instant to;
        try {
            from = ApiTimes.parse("from", request.from());
            to = ApiTimes.parse("to", request.to());
        } catch (IllegalArgumentException e) {
            return Problems.of(Response.Status.BAD_REQUEST, "Invalid backfill window", e.getMessage());
        }
        if (to.isBefore(from)) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid backfill window",
                    "'to' (" + to + ") is before 'from' (" + from + ")");
        }
        if (to.isAfter(now)) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid backfill window",
                    "'to' (" + to + ") is in the future; a backfill runs ticks that are already due (the schedule"
                            + " runs the ones to come)");
        }
        int maxParallel = request.maxParallel() == null ? DEFAULT_MAX_PARALLEL : request.maxParallel();
        if (maxParallel < 1 || maxParallel > DagBackfillRequested.MAX_PARALLEL) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid max_parallel",
                    "max_parallel is 1 to " + DagBackfillRequested.MAX_PARALLEL + ", not " + maxParallel);
        }
        Map<String, String> given = new LinkedHashMap<>();
        bad = RunSubmitter.readParams(request.paramArgs(), given);
        if (bad != null) {
            return bad;
        }
        OwnedDag owned = dags.live(name, authorization);
        DagVersionEntry version = owned.version();
        ScheduleSpec schedule = version.dag().schedule();
        if (schedule == null) {
            return Problems.of(
                    Response.Status.CONFLICT,
                    "No schedule",
                    "DAG '" + name + "' (version " + version.version() + ") has no schedule: a backfill runs the"
                            + " ticks of a schedule");
        }
        int ticks = version.clock().countIn(from, to, DagBackfillRequested.MAX_TICKS);
        if (ticks == 0 || ticks > DagBackfillRequested.MAX_TICKS) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid backfill window",
                    (ticks == 0 ? "no tick" : "more than " + DagBackfillRequested.MAX_TICKS + " ticks")
                            + " of the schedule (" + schedule.describe() + ") fall between " + from + " and " + to
                            + (ticks == 0 ? "" : "; backfill it in parts"));
        }
        Map<String, String> params;
        try {
            params = RunParams.resolve(version.dag(), given);
        } catch (InvalidParamsException e) {
            return Problems.invalidParams(e.problems());
        }
        bad = RunSubmitter.checkParamsSize(params);
        if (bad != null) {
            return bad;
        }
        String requestId = Submissions.newId();
        bad = dags.publish(DagBackfillRequested.of(
                name,
                version.version(),
                from,
                to,
                maxParallel,
                request.rerun(),
                params,
                idempotencyKey,
                requestId,
                now));
        if (bad != null) {
            return bad;
        }
        DagEntry.Outcome outcome = dags.awaitOutcome(name, requestId, authorization);
        if (outcome == null) {
            return DagService.pending(name);
        }
        if (outcome.refused() != null) {
            return Problems.of(Response.Status.CONFLICT, "Backfill not started", outcome.refused());
        }
        Backfill backfill = current(name, outcome.backfill(), authorization);
        return (outcome.changed() ? Response.accepted() : Response.ok())
                .location(location(name, outcome.backfill()))
                .entity(Events.toJsonText(backfill))
                .build();
    }

    Response cancel(String name, int id, String authorization) {
        OwnedDag owned = dags.live(name, authorization);
        if (owned.entry().backfill(id) == null) {
            return notFound(name, id);
        }
        String requestId = Submissions.newId();
        Response refused = dags.publish(DagBackfillCancelled.of(name, id, requestId, Instant.now()));
        if (refused != null) {
            return refused;
        }
        DagEntry.Outcome outcome = dags.awaitOutcome(name, requestId, authorization);
        if (outcome == null) {
            return DagService.pending(name);
        }
        if (outcome.refused() != null) {
            return Problems.of(Response.Status.CONFLICT, "Not applied", outcome.refused());
        }
        return Response.ok(Events.toJsonText(current(name, id, authorization))).build();
    }

    /** The DAG's backfills, newest first (the running ones and the latest that ended). */
    Response list(String name, String authorization) {
        OwnedDag owned = reader.read(name, null, authorization, false);
        List<Backfill> newestFirst = new ArrayList<>(owned.entry().backfills());
        Collections.reverse(newestFirst);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("dag", name);
        body.put("backfills", newestFirst);
        return Response.ok(Events.toJsonText(body)).build();
    }

    Response get(String name, int id, String authorization) {
        Backfill backfill =
                reader.read(name, null, authorization, false).entry().backfill(id);
        return backfill == null
                ? notFound(name, id)
                : Response.ok(Events.toJsonText(backfill)).build();
    }

    private Backfill current(String name, int id, String authorization) {
        return reader.read(name, null, authorization, false).entry().backfill(id);
    }

    private static Response notFound(String name, int id) {
        return Problems.of(
                Response.Status.NOT_FOUND,
                "Backfill not found",
                "DAG '" + name + "' has no backfill " + id + " (ended ones are kept for a while only)");
    }

    static URI location(String name, int id) {
        return URI.create("/api/v1/dags/" + name + "/backfills/" + id);
    }
}
