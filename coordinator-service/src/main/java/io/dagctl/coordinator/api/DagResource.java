package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorLifecycle;
import io.dagctl.coordinator.query.DagLookup;
import io.dagctl.coordinator.query.OwnerForwarder;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.report.DagPage;
import io.dagctl.core.report.DagSummary;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Stored DAGs: versions, pause, delete, and runs of the latest version. Writes are commands to the DAG's owner;
 * reads come from the owner's state stores.
 */
@Path("/api/v1/dags")
@Produces(MediaType.APPLICATION_JSON)
public class DagResource {

    private static final int MAX_LIMIT = 1000;

    private final DagService service;
    private final DagReader reader;
    private final CoordinatorLifecycle lifecycle;
    private final OwnerForwarder forwarder;
    private final BackfillService backfills;

    public DagResource(
            DagService service,
            DagReader reader,
            CoordinatorLifecycle lifecycle,
            OwnerForwarder forwarder,
            BackfillService backfills) {
        this.service = service;
        this.backfills = backfills;
        this.reader = reader;
        this.lifecycle = lifecycle;
        this.forwarder = forwarder;
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary = "Store a DAG (YAML or JSON body) under its name: 201 for a new DAG, 200 with its version (a new"
                    + " one, or the same when the DAG did not change), 400 with every validation problem, 413 when"
                    + " it is too large to store")
    public Response apply(
            @PathParam("name") String name, String body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return service.apply(name, body, authorization);
    }

    @GET
    @Operation(summary = "List the stored DAGs by name, across every coordinator instance")
    public Response list(
            @QueryParam("limit") @DefaultValue("100") int limit,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @Parameter(hidden = true) @QueryParam("scope") String scope,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Response refused = PeerListings.refusal(lifecycle, limit, offset, MAX_LIMIT);
        if (refused != null) {
            return refused;
        }
        boolean local = "local".equals(scope);
        List<DagSummary> all = new ArrayList<>();
        for (DagLookup.Found found : lifecycle.engine().dagQueries().local()) {
            if (!found.entry().deleted()) {
                // the last run's status is read by the instance that answers the caller, for its page only
                all.add(service.summary(new OwnedDag(found.entry(), found.version(), found.latest())));
            }
        }
        if (!local) {
            all.addAll(PeerListings.fromOtherInstances(
                    lifecycle,
                    forwarder,
                    "/api/v1/dags?scope=local",
                    authorization,
                    "DAGs",
                    DagPage.class,
                    DagPage::dags));
        }
        List<DagSummary> sorted =
                all.stream().sorted(Comparator.comparing(DagSummary::name)).toList();
        List<DagSummary> page = local
                ? sorted
                : sorted.subList(Math.min(offset, sorted.size()), Math.min(offset + limit, sorted.size())).stream()
                        .map(s -> service.withLastRunStatus(s, authorization))
                        .toList();
        return Response.ok(Events.toJsonText(new DagPage(page, sorted.size(), limit, offset)))
                .build();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "A stored DAG: its state and its latest version's spec")
    public Response get(
            @PathParam("name") String name,
            @HeaderParam(WireHeaders.FORWARDED) String forwarded,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        OwnedDag owned = reader.read(name, null, authorization, forwarded != null);
        if (owned.entry().deleted() || owned.version() == null) {
            return DagReader.notFound(name);
        }
        return Response.ok(Events.toJsonText(service.report(owned, authorization)))
                .build();
    }

    @GET
    @Path("{name}/versions/{version}")
    @Operation(summary = "One version of a stored DAG (also of a deleted one: its runs can still show what they ran)")
    public Response version(
            @PathParam("name") String name,
            @PathParam("version") int version,
            @HeaderParam(WireHeaders.FORWARDED) String forwarded,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        OwnedDag owned = reader.read(name, version, authorization, forwarded != null);
        if (owned.version() == null) {
            return Problems.of(
                    Response.Status.NOT_FOUND,
                    "Version not found",
                    "DAG '" + name + "' has versions 1 to " + owned.entry().version() + ", not " + version);
        }
        return Response.ok(Events.toJsonText(service.report(owned, authorization)))
                .build();
    }

    @GET
    @Path("{name}/owned")
    @Operation(hidden = true)
    public Response owned(
            @PathParam("name") String name,
            @QueryParam("version") Integer version,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return Response.ok(Events.toJsonText(reader.read(name, version, authorization, true)))
                .build();
    }

    @POST
    @Path("{name}/pause")
    @Operation(summary = "Pause a stored DAG: it starts no run until it is unpaused")
    public Response pause(
            @PathParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return service.setPaused(name, true, authorization);
    }

    @POST
    @Path("{name}/unpause")
    @Operation(summary = "Unpause a stored DAG")
    public Response unpause(
            @PathParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return service.setPaused(name, false, authorization);
    }

    @POST
    @Path("{name}/runs")
    @Operation(
            summary = "Run the latest version of a stored DAG: 202 with the run id, 400 when the parameters do not fit"
                    + " its params, 404 for an unknown DAG, 409 when it is paused")
    public Response trigger(
            @PathParam("name") String name,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Parameter(description = "run parameter NAME=value, repeatable; checked against the DAG's params")
                    @QueryParam("param")
                    List<String> paramArgs,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return service.trigger(name, paramArgs, idempotencyKey, authorization);
    }

    @POST
    @Path("{name}/backfill")
    @Operation(
            summary = "Backfill a stored DAG: run the ticks of its schedule from 'from' to 'to' (both included, oldest"
                    + " first, at most max_parallel at once), skipping ticks that already have a run unless rerun."
                    + " 202 with the backfill (Location: its progress), 200 for one found under the same"
                    + " Idempotency-Key, 400 for a bad window or parameters, 404 for an unknown DAG, 409 when the DAG"
                    + " has no schedule or too many backfills running")
    public Response backfill(
            @PathParam("name") String name,
            @Parameter(description = "first tick time, ISO-8601 (2026-01-01T00:00:00Z) or a date (UTC)")
                    @QueryParam("from")
                    String from,
            @Parameter(description = "last tick time, included; not in the future") @QueryParam("to") String to,
            @Parameter(description = "runs at once, 1 to 64 (default 4)") @QueryParam("max_parallel")
                    Integer maxParallel,
            @Parameter(description = "run ticks that already have a run again, as new runs")
                    @QueryParam("rerun")
                    @DefaultValue("false")
                    boolean rerun,
            @Parameter(description = "run parameter NAME=value, repeatable; checked against the DAG's params")
                    @QueryParam("param")
                    List<String> paramArgs,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return backfills.start(
                name,
                new BackfillService.Request(from, to, maxParallel, rerun, paramArgs),
                idempotencyKey,
                authorization);
    }

    @GET
    @Path("{name}/backfills")
    @Operation(summary = "A stored DAG's backfills, newest first: the running ones and the latest that ended")
    public Response backfills(
            @PathParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return backfills.list(name, authorization);
    }

    @GET
    @Path("{name}/backfills/{id}")
    @Operation(summary = "One backfill and its progress: ticks, runs started, running, skipped, succeeded, failed")
    public Response backfill(
            @PathParam("name") String name,
            @PathParam("id") int id,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return backfills.get(name, id, authorization);
    }

    @POST
    @Path("{name}/backfills/{id}/cancel")
    @Operation(summary = "Cancel a backfill: no tick of it starts any more, its running runs are cancelled")
    public Response cancelBackfill(
            @PathParam("name") String name,
            @PathParam("id") int id,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return backfills.cancel(name, id, authorization);
    }

    @DELETE
    @Path("{name}")
    @Operation(summary = "Delete a stored DAG; its versions stay for the runs that ran them")
    public Response delete(
            @PathParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return service.delete(name, authorization);
    }
}
