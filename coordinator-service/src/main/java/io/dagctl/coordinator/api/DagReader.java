package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorLifecycle;
import io.dagctl.coordinator.query.DagLookup;
import io.dagctl.coordinator.query.OwnerForwarder;
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
            return new OwnedDag(found.entry(), found.version(), found.latest());
        }
        if (lookup instanceof DagLookup.NotFound) {
            throw new WebApplicationException(notFound(name));
        }
        if (lookup instanceof DagLookup.Elsewhere elsewhere) {
            if (forwarded) {
                throw new WebApplicationException(OwnerAnswers.unavailable("DAG '" + name + "' is owned by "
                        + elsewhere.hostPort() + ", which sent the request here: ownership is moving"));
            }
            String path = "/api/v1/dags/" + URLEncoder.encode(name, StandardCharsets.UTF_8) + "/owned"
                    + (version == null ? "" : "?version=" + version);
            return OwnerAnswers.ask(
                    forwarder, elsewhere.hostPort(), path, authorization, OwnedDag.class, "DAG '" + name + "'");
        }
        throw new WebApplicationException(OwnerAnswers.unavailable(((DagLookup.Unavailable) lookup).reason()));
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
}
