package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorLifecycle;
import io.dagctl.coordinator.query.OwnerForwarder;
import io.dagctl.coordinator.query.RunLookup;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.model.RunId;
import io.dagctl.core.report.RunReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * A run's current report from whichever instance owns it: read locally, or asked of the owner once. Failures become
 * the problem response the caller should send.
 */
@ApplicationScoped
public class RunReader {

    private final CoordinatorLifecycle lifecycle;
    private final OwnerForwarder forwarder;

    public RunReader(CoordinatorLifecycle lifecycle, OwnerForwarder forwarder) {
        this.lifecycle = lifecycle;
        this.forwarder = forwarder;
    }

    /** @throws WebApplicationException with a problem response: 404 unknown run, 503 while ownership moves, 502 */
    RunReport read(String runId, String authorization, boolean forwarded) {
        if (!RunId.isValid(runId)) {
            throw new WebApplicationException(
                    Problems.of(Response.Status.NOT_FOUND, "Run not found", "no run with id '" + runId + "'"));
        }
        RunLookup lookup = lifecycle.engine().queries() == null
                ? new RunLookup.Unavailable("coordinator is starting")
                : lifecycle.engine().queries().lookup(runId);
        if (lookup instanceof RunLookup.Found found) {
            return found.report();
        }
        if (lookup instanceof RunLookup.NotFound) {
            throw new WebApplicationException(
                    Problems.of(Response.Status.NOT_FOUND, "Run not found", "no run with id '" + runId + "'"));
        }
        if (lookup instanceof RunLookup.Elsewhere elsewhere) {
            if (forwarded) {
                throw new WebApplicationException(unavailable("run '" + runId + "' is owned by " + elsewhere.hostPort()
                        + ", which sent the request here: ownership is moving"));
            }
            OwnerForwarder.Answer answer = forwarder.get(
                    elsewhere.hostPort(),
                    "/api/v1/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8),
                    authorization);
            if (answer.status() == 200) {
                try {
                    return Events.fromJson(answer.body().getBytes(StandardCharsets.UTF_8), RunReport.class);
                } catch (MalformedEventException e) {
                    throw new WebApplicationException(Problems.of(
                            Response.Status.BAD_GATEWAY,
                            "Bad answer from owner",
                            elsewhere.hostPort() + " answered something that is not a run report"));
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
                    "asking the owner of run '" + runId + "' at " + elsewhere.hostPort() + " failed: HTTP "
                            + answer.status() + " " + answer.body()));
        }
        throw new WebApplicationException(unavailable(((RunLookup.Unavailable) lookup).reason()));
    }

    private static Response unavailable(String reason) {
        return Response.fromResponse(Problems.of(Response.Status.SERVICE_UNAVAILABLE, "Coordinator not ready", reason))
                .header("Retry-After", "1")
                .build();
    }
}
