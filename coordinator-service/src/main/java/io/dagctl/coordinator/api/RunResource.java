package io.dagctl.coordinator.api;

import io.dagctl.coordinator.query.RunLookup;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.parse.DagParser;
import io.dagctl.core.parse.DagValidationException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Submit a DAG run; read a run's report. Writes go through the commands topic; reads ask the run's owner. */
@Path("/api/v1/runs")
public class RunResource {

    static final String FORWARDED_HEADER = "X-Dagctl-Forwarded";

    private final CommandPublisher publisher;
    private final EngineLifecycle lifecycle;
    private final OwnerForwarder forwarder;
    private final DagParser parser;

    public RunResource(CommandPublisher publisher, EngineLifecycle lifecycle, OwnerForwarder forwarder,
            DagctlSettings settings) {
        this.publisher = publisher;
        this.lifecycle = lifecycle;
        this.forwarder = forwarder;
        this.parser = new DagParser(DagParser.DEFAULT_MAX_CHARS, settings.api().maxTasks());
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Produces(MediaType.APPLICATION_JSON)
    public Response submit(String body) {
        DagSpec dag;
        try {
            dag = parser.parse(body == null ? "" : body, "request body");
        } catch (DagValidationException e) {
            return Problems.invalidDag(e.problems());
        }
        Instant now = Instant.now();
        String runId = RunIds.next(now);
        try {
            publisher.publish(RunSubmitted.of(runId, dag, now));
        } catch (CommandPublisher.CommandNotAcceptedException e) {
            return Problems.of(Response.Status.SERVICE_UNAVAILABLE, "Run not accepted", e.getMessage());
        }
        Map<String, Object> accepted = new LinkedHashMap<>();
        accepted.put("run_id", runId);
        accepted.put("dag", dag.name());
        accepted.put("tasks", dag.tasks().size());
        accepted.put("status_url", "/api/v1/runs/" + runId);
        return Response.accepted(Events.toJsonText(accepted)).location(URI.create("/api/v1/runs/" + runId)).build();
    }

    @GET
    @Path("{runId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response get(@PathParam("runId") String runId, @HeaderParam(FORWARDED_HEADER) String forwarded) {
        RunLookup lookup = lifecycle.engine().queries() == null
                ? new RunLookup.Unavailable("coordinator is starting")
                : lifecycle.engine().queries().lookup(runId);
        if (lookup instanceof RunLookup.Found found) {
            return Response.ok(Events.toJsonText(found.report())).build();
        } else if (lookup instanceof RunLookup.NotFound) {
            return Problems.of(Response.Status.NOT_FOUND, "Run not found", "no run with id '" + runId + "'");
        } else if (lookup instanceof RunLookup.Elsewhere elsewhere) {
            if (forwarded != null) {
                return Problems.of(Response.Status.SERVICE_UNAVAILABLE, "Ownership is moving",
                        "run '" + runId + "' is owned by " + elsewhere.hostPort() + ", which sent the request here; retry");
            }
            return forwarder.forward(elsewhere.hostPort(), "/api/v1/runs/" + runId);
        }
        RunLookup.Unavailable unavailable = (RunLookup.Unavailable) lookup;
        return Response.fromResponse(Problems.of(Response.Status.SERVICE_UNAVAILABLE, "Coordinator not ready",
                unavailable.reason())).header("Retry-After", "1").build();
    }
}
