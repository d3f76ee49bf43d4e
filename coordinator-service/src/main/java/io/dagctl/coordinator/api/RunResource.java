package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorLifecycle;
import io.dagctl.coordinator.query.OwnerForwarder;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunPage;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.RunSummary;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Runs: submit, list, read, cancel, retry. Every write is a command on the commands topic, applied by the run's
 * owner; reads come from the owner's state stores.
 */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private static final int MAX_LIMIT = 1000;

    private final CommandPublisher publisher;
    private final CoordinatorLifecycle lifecycle;
    private final OwnerForwarder forwarder;
    private final RunReader reader;
    private final RunSubmitter submitter;

    public RunResource(
            CommandPublisher publisher,
            CoordinatorLifecycle lifecycle,
            OwnerForwarder forwarder,
            RunReader reader,
            RunSubmitter submitter) {
        this.publisher = publisher;
        this.lifecycle = lifecycle;
        this.forwarder = forwarder;
        this.reader = reader;
        this.submitter = submitter;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(
            summary = "Submit a DAG (YAML or JSON body); 202 with the run id, 400 with every validation problem,"
                    + " 413 when it is too large, 422 when the Idempotency-Key named another submission")
    public Response submit(
            String body,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Parameter(description = "run parameter NAME=value, repeatable; tasks see DAGCTL_PARAM_NAME")
                    @QueryParam("param")
                    List<String> paramArgs,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return submitter.submit(body, idempotencyKey, paramArgs, authorization);
    }

    @GET
    @Operation(summary = "List runs, newest first, across every coordinator instance")
    public Response list(
            @QueryParam("status") String status,
            @QueryParam("dag") String dag,
            @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @Parameter(hidden = true) @QueryParam("scope") String scope,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        RunStatus wanted = null;
        if (status != null) {
            try {
                wanted = RunStatus.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                return Problems.of(
                        Response.Status.BAD_REQUEST,
                        "Invalid status filter",
                        "status must be one of " + List.of(RunStatus.values()) + ", got '" + status + "'");
            }
        }
        Response refused = PeerListings.refusal(lifecycle, limit, offset, MAX_LIMIT);
        if (refused != null) {
            return refused;
        }
        List<RunSummary> all = new ArrayList<>(lifecycle.engine().listing().local());
        if (!"local".equals(scope)) {
            all.addAll(PeerListings.fromOtherInstances(
                    lifecycle,
                    forwarder,
                    "/api/v1/runs?scope=local&limit=" + MAX_LIMIT + "&offset=0",
                    authorization,
                    "runs",
                    RunPage.class,
                    RunPage::runs));
        }
        RunStatus filterStatus = wanted;
        List<RunSummary> matching = all.stream()
                .filter(r -> filterStatus == null || r.status() == filterStatus)
                .filter(r -> dag == null || dag.equals(r.dag()))
                .sorted(Comparator.comparing(RunSummary::submittedAt).reversed().thenComparing(RunSummary::runId))
                .toList();
        List<RunSummary> page = "local".equals(scope)
                ? matching
                : matching.subList(Math.min(offset, matching.size()), Math.min(offset + limit, matching.size()));
        return Response.ok(Events.toJsonText(new RunPage(page, matching.size(), limit, offset)))
                .build();
    }

    @GET
    @Path("{runId}")
    @Operation(summary = "The run's report: status, times and every task")
    public Response get(
            @PathParam("runId") String runId,
            @HeaderParam(WireHeaders.FORWARDED) String forwarded,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return Response.ok(Events.toJsonText(reader.read(runId, authorization, forwarded != null)))
                .build();
    }

    @POST
    @Path("{runId}/cancel")
    @Operation(summary = "Cancel a run: running tasks are stopped, the others end CANCELLED")
    public Response cancel(
            @PathParam("runId") String runId, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        RunReport run = reader.read(runId, authorization, false);
        if (run.status().isTerminal()) {
            return Problems.of(
                    Response.Status.CONFLICT,
                    "Run already finished",
                    "run '" + runId + "' ended " + run.status() + "; there is nothing to cancel");
        }
        Response refused = publish(RunCancelRequested.of(runId, Instant.now(), "requested through the API"));
        return refused != null
                ? refused
                : Response.accepted(Events.toJsonText(Map.of("run_id", runId, "requested", "cancel")))
                        .build();
    }

    @POST
    @Path("{runId}/retry")
    @Operation(summary = "Run a finished run's failed, timed-out, upstream-failed and cancelled tasks again")
    public Response retry(
            @PathParam("runId") String runId, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        RunReport run = reader.read(runId, authorization, false);
        if (!run.status().isTerminal()) {
            return Problems.of(
                    Response.Status.CONFLICT,
                    "Run still running",
                    "run '" + runId + "' is " + run.status() + "; retry it once it has finished");
        }
        if (run.status() == RunStatus.SUCCESS) {
            return Problems.of(
                    Response.Status.CONFLICT, "Nothing to retry", "every task of run '" + runId + "' succeeded");
        }
        if (run.tasks().isEmpty()) {
            return Problems.of(
                    Response.Status.CONFLICT,
                    "Nothing to retry",
                    "run '" + runId + "' has no tasks: "
                            + (run.error() == null ? "it failed at submission" : run.error()));
        }
        Response refused = publish(TaskRetryRequested.of(runId, Instant.now()));
        return refused != null
                ? refused
                : Response.accepted(Events.toJsonText(Map.of("run_id", runId, "requested", "retry")))
                        .build();
    }

    /** Null when the command is in Kafka, else the response to send. */
    private Response publish(RunCommand command) {
        try {
            publisher.publish(command.runId(), Events.toJson(command));
            return null;
        } catch (CommandPublisher.CommandNotAcceptedException e) {
            return Problems.of(Response.Status.SERVICE_UNAVAILABLE, "Command not accepted", e.getMessage());
        }
    }
}
