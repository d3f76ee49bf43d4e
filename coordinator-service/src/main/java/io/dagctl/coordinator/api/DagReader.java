package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorLifecycle;
import io.dagctl.coordinator.query.DagLookup;
import io.dagctl.coordinator.query.OwnerForwarder;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A stored DAG from whichever instance owns its name: read locally, or asked of the owner once. Failures become the
 * problem response the caller should send.
 */
@ApplicationScoped
public class DagReader {

    private final CoordinatorLifecycle lifecycle;
    private final OwnerForwarder forwarder;

    public DagReader(CoordinatorLifecycle lifecycle, OwnerForwarder forwarder) {
        this.lifecycle = lifecycle;
        this.forwarder = forwarder;
    }

    /**
     * @param version the version to read, or null for the latest
     * @throws WebApplicationException 404 when no DAG has the name (a deleted one is returned, marked), 503 while
     *     ownership moves, 502 when the owner cannot be asked
     */
    OwnedDag read(String name, Integer version, String authorization, boolean forwarded) {
        DagLookup lookup = lifecycle.engine().dagQueries() == null
                ? new DagLookup.Unavailable("coordinator is starting")
                : lifecycle.engine().dagQueries().lookup(name, version);
        if (lookup instanceof DagLookup.Found found) {
            return new OwnedDag(found.entry(), found.version());
        }
        if (lookup instanceof DagLookup.NotFound) {
            throw new WebApplicationException(notFound(name));
        }
        if (lookup instanceof DagLookup.Elsewhere elsewhere) {
            if (forwarded) {
                throw new WebApplicationException(unavailable("DAG '" + name + "' is owned by " + elsewhere.hostPort()
                        + ", which sent the request here: ownership is moving"));
            }
            String path = "/api/v1/dags/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/owned"
                    + (version == null ? "" : "?version=" + version);
            OwnerForwarder.Answer answer = forwarder.get(elsewhere.hostPort(), path, authorization);
            if (answer.status() == 200) {
                try {
                    return Events.fromJson(answer.body().getBytes(StandardCharsets.UTF_8), OwnedDag.class);
                } catch (MalformedEventException e) {
                    throw new WebApplicationException(Problems.of(
                            Response.Status.BAD_GATEWAY,
                            "Bad answer from owner",
                            elsewhere.hostPort() + " answered something that is not a stored DAG"));
                }
            }
            if (answer.status() == 404 || answer.status() == 503) {
                throw new WebApplicationException(Response.status(answer.status())
                        .type(Problems.MEDIA_TYPE)
                        .entity(answer.body())
                        .build());
            }
            throw new WebApplicationException(Problems.of(
                    Response.Status.BAD_GATEWAY,
                    "Owner unreachable",
                    "asking the owner of DAG '" + name + "' at " + elsewhere.hostPort() + " failed: HTTP "
                            + answer.status() + " " + answer.body()));
        }
        throw new WebApplicationException(unavailable(((DagLookup.Unavailable) lookup).reason()));
    }

    /** The DAG, or null when no DAG has the name. */
    OwnedDag readIfExists(String name, String authorization) {
        try {
            return read(name, null, authorization, false);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return null;
            }
            throw e;
        }
    }

    static Response notFound(String name) {
        return Problems.of(Response.Status.NOT_FOUND, "DAG not found", "no stored DAG named '" + name + "'");
    }

    private static Response unavailable(String reason) {
        return Response.fromResponse(Problems.of(Response.Status.SERVICE_UNAVAILABLE, "Coordinator not ready", reason))
                .header("Retry-After", "1")
                .build();
    }
}
