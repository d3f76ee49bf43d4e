package io.dagctl.coordinator.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.coordinator.app.CoordinatorLifecycle;
import io.dagctl.coordinator.app.CoordinatorSettings;
import io.dagctl.coordinator.engine.DagEntry;
import io.dagctl.coordinator.engine.PoolEntry;
import io.dagctl.coordinator.query.OwnerForwarder;
import io.dagctl.coordinator.query.PoolQueries;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.event.PoolSet;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.model.Pools;
import io.dagctl.core.report.PoolPage;
import io.dagctl.core.report.PoolReport;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Cluster-wide pools: a named number of slots that tasks of every run share ({@code pool:} on a task). A size is set
 * by a command to the pool's owner; reads come from the owner's store.
 */
@Path("/api/v1/pools")
@Produces(MediaType.APPLICATION_JSON)
public class PoolResource {

    private final CoordinatorLifecycle lifecycle;
    private final OwnerForwarder forwarder;
    private final CommandPublisher publisher;
    private final Duration visibleWait;

    public PoolResource(
            CoordinatorLifecycle lifecycle,
            OwnerForwarder forwarder,
            CommandPublisher publisher,
            CoordinatorSettings settings) {
        this.lifecycle = lifecycle;
        this.forwarder = forwarder;
        this.publisher = publisher;
        this.visibleWait = settings.api().submitVisibleWait();
    }

    @GET
    @Operation(summary = "Every pool with its slots, slots in use and waiting attempts, across every coordinator")
    public Response list(
            @Parameter(hidden = true) @QueryParam("scope") String scope,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Response refused = PeerListings.refusal(lifecycle, 1, 0, 1);
        if (refused != null) {
            return refused;
        }
        List<PoolReport> all = new ArrayList<>();
        lifecycle.engine().poolQueries().local().forEach(p -> all.add(report(p)));
        if (!"local".equals(scope)) {
            all.addAll(PeerListings.fromOtherInstances(
                    lifecycle,
                    forwarder,
                    "/api/v1/pools?scope=local",
                    authorization,
                    "pools",
                    PoolPage.class,
                    PoolPage::pools));
        }
        all.sort(Comparator.comparing(PoolReport::name));
        return Response.ok(Events.toJsonText(new PoolPage(all))).build();
    }

    @GET
    @Path("{name}")
    @Operation(summary = "One pool: its slots, slots in use and waiting attempts")
    public Response get(
            @PathParam("name") String name,
            @HeaderParam(WireHeaders.FORWARDED) String forwarded,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Response bad = checkName(name);
        if (bad != null) {
            return bad;
        }
        PoolEntry pool = read(name, authorization, forwarded != null);
        return pool == null
                ? notFound(name)
                : Response.ok(Events.toJsonText(report(pool))).build();
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(
            summary = "Set a pool's slots ({\"slots\": N}, 0 to 100000), creating it if new: 200 with the pool once its"
                    + " owner applied it. Fewer slots than are in use let running tasks finish.")
    public Response set(
            @PathParam("name") String name, String body, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Response bad = checkName(name);
        if (bad != null) {
            return bad;
        }
        int slots;
        try {
            JsonNode json = Events.mapper().readTree(body == null ? "" : body);
            JsonNode value = json == null ? null : json.get("slots");
            if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
                return Problems.of(
                        Response.Status.BAD_REQUEST,
                        "Invalid pool",
                        "the body must be {\"slots\": N} with N a whole number from 0 to " + Pools.MAX_SLOTS);
            }
            slots = value.asInt();
        } catch (java.io.IOException e) {
            return Problems.of(Response.Status.BAD_REQUEST, "Invalid pool", "the body is not JSON: " + e.getMessage());
        }
        if (slots < 0 || slots > Pools.MAX_SLOTS) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid pool",
                    "slots must be from 0 to " + Pools.MAX_SLOTS + ", got " + slots);
        }
        String requestId = UUID.randomUUID().toString();
        PoolSet command = PoolSet.of(name, slots, requestId, Instant.now());
        try {
            publisher.publishDag(command.name(), Events.toJson(command));
        } catch (CommandPublisher.CommandNotAcceptedException e) {
            return Problems.of(Response.Status.SERVICE_UNAVAILABLE, "Command not accepted", e.getMessage());
        }
        PoolEntry applied = Waiting.until(visibleWait, () -> {
            PoolEntry pool = read(name, authorization, false);
            DagEntry.Outcome outcome = pool == null ? null : pool.outcomes().get(requestId);
            return outcome == null ? null : pool;
        });
        if (applied == null) {
            return Response.accepted(Events.toJsonText(
                            java.util.Map.of("name", name, "status", "accepted; not yet applied by the pool's owner")))
                    .build();
        }
        return Response.ok(Events.toJsonText(report(applied))).build();
    }

    @GET
    @Path("{name}/owned")
    @Operation(hidden = true)
    public Response owned(
            @PathParam("name") String name, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        PoolEntry pool = read(name, authorization, true);
        return pool == null
                ? notFound(name)
                : Response.ok(Events.toJsonText(pool)).build();
    }

    /** The pool from its owner (this instance, or asked once), or null when no pool has the name. */
    private PoolEntry read(String name, String authorization, boolean forwarded) {
        PoolQueries queries = lifecycle.engine().poolQueries();
        PoolQueries.Lookup lookup =
                queries == null ? new PoolQueries.Lookup.Unavailable("coordinator is starting") : queries.lookup(name);
        if (lookup instanceof PoolQueries.Lookup.Found found) {
            return found.pool();
        }
        if (lookup instanceof PoolQueries.Lookup.NotFound) {
            return null;
        }
        if (lookup instanceof PoolQueries.Lookup.Elsewhere elsewhere) {
            if (forwarded) {
                throw new WebApplicationException(OwnerAnswers.unavailable("pool '" + name + "' is owned by "
                        + elsewhere.hostPort() + ", which sent the request here: ownership is moving"));
            }
            OwnerForwarder.Answer answer =
                    forwarder.get(elsewhere.hostPort(), "/api/v1/pools/" + name + "/owned", authorization);
            if (answer.status() == 404) {
                return null;
            }
            if (answer.status() != 200) {
                throw new WebApplicationException(Problems.of(
                        Response.Status.BAD_GATEWAY,
                        "Owner unreachable",
                        "asking the owner of pool '" + name + "' at " + elsewhere.hostPort() + " failed: HTTP "
                                + answer.status()));
            }
            try {
                return Events.fromJson(answer.body().getBytes(StandardCharsets.UTF_8), PoolEntry.class);
            } catch (MalformedEventException e) {
                throw new WebApplicationException(
                        Problems.of(Response.Status.BAD_GATEWAY, "Bad answer from owner", e.getMessage()));
            }
        }
        throw new WebApplicationException(OwnerAnswers.unavailable(((PoolQueries.Lookup.Unavailable) lookup).reason()));
    }

    static PoolReport report(PoolEntry pool) {
        return new PoolReport(pool.name(), pool.slots(), pool.inUse(), pool.free(), pool.waiting(), pool.updatedAt());
    }

    private static Response checkName(String name) {
        if (Pools.isValid(name)) {
            return null;
        }
        return Problems.of(
                Response.Status.BAD_REQUEST,
                "Invalid pool name",
                "invalid pool name '" + name + "': " + Pools.NAME_RULE + " characters");
    }

    private static Response notFound(String name) {
        return Problems.of(
                Response.Status.NOT_FOUND,
                "Pool not found",
                "no pool named '" + name + "'; `dagctl pools set " + name + " N` makes it");
    }
}
