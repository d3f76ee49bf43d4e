package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorLifecycle;
import io.dagctl.coordinator.query.OwnerForwarder;
import io.dagctl.coordinator.view.RunViews;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.RunSummary;
import io.dagctl.core.report.TaskPage;
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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
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

    private final CommandPublisher publisher;
    private final CoordinatorLifecycle lifecycle;
    private final OwnerForwarder forwarder;
    private final RunReader reader;
    private final RunSubmitter submitter;
    private final RunListings listings;
    private final RunViews views;
    private final QueueWatch queues;
    private static final int MAX_TASKS_PAGE = 1000;

    public RunResource(
            CommandPublisher publisher,
            CoordinatorLifecycle lifecycle,
            OwnerForwarder forwarder,
            RunReader reader,
            RunSubmitter submitter,
            RunListings listings,
            RunViews views,
            QueueWatch queues) {
        this.queues = queues;
        this.listings = listings;
        this.views = views;
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
    @Operation(
            summary = "List runs, newest first, across every coordinator instance, from each instance's run index:"
                    + " filters status, dag, trigger and a window of submission times; page with next_cursor")
    public Response list(
            @QueryParam("status") String status,
            @QueryParam("dag") String dag,
            @Parameter(description = "manual, api, schedule or backfill") @QueryParam("trigger") String trigger,
            @Parameter(description = "submitted at or after this time (ISO-8601 or a date, UTC)") @QueryParam("since")
                    String since,
            @Parameter(description = "submitted at or before this time") @QueryParam("until") String until,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("50") int limit,
            @QueryParam("offset") @DefaultValue("0") int offset,
            @Parameter(hidden = true) @QueryParam("scope") String scope,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return listings.list(
                new RunListings.Query(status, dag, trigger, since, until, cursor, limit, offset, "local".equals(scope)),
                authorization);
    }

    @GET
    @Path("counts")
    @Operation(summary = "How many runs are in each status, across every coordinator instance (counted every 5 s)")
    public Response counts(
            @Parameter(hidden = true) @QueryParam("scope") String scope,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return listings.counts("local".equals(scope), authorization);
    }

    @GET
    @Path("{runId}")
    @Operation(summary = "The run's report: status, times and every task")
    public Response get(
            @PathParam("runId") String runId,
            @HeaderParam(WireHeaders.FORWARDED) String forwarded,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return Response.ok(Events.toJsonText(queues.explain(reader.read(runId, authorization, forwarded != null))))
                .build();
    }

    @GET
    @Path("{runId}/summary")
    @Operation(summary = "The run without its tasks: status, times, and how many tasks are in each status")
    public Response summary(
            @PathParam("runId") String runId,
            @HeaderParam(WireHeaders.FORWARDED) String forwarded,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        return Response.ok(Events.toJsonText(reader.read(
                        runId, "/summary", RunSummary.class, q -> q.summary(runId), authorization, forwarded != null)))
                .build();
    }

    @GET
    @Path("{runId}/tasks")
    @Operation(
            summary = "A page of the run's tasks by name, with the run's count of tasks in each status; a status"
                    + " filter reads at most 10,000 tasks per page, so a short page may still have a next_cursor")
    public Response tasks(
            @PathParam("runId") String runId,
            @QueryParam("status") String status,
            @Parameter(description = "next_cursor of the previous page") @QueryParam("cursor") String cursor,
            @QueryParam("limit") @DefaultValue("100") int limit,
            @Parameter(description = "name (default) or duration: the longest running first") @QueryParam("sort")
                    String sort,
            @HeaderParam(WireHeaders.FORWARDED) String forwarded,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        TaskStatus wanted;
        try {
            wanted = status == null ? null : TaskStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid status filter",
                    "status must be one of " + List.of(TaskStatus.values()) + ", got '" + status + "'");
        }
        if (limit < 1 || limit > MAX_TASKS_PAGE) {
            return Problems.of(Response.Status.BAD_REQUEST, "Invalid paging", "limit must be 1 to " + MAX_TASKS_PAGE);
        }
        String after = cursor == null || cursor.isBlank() ? null : cursor;
        if ("duration".equals(sort)) {
            return slowest(runId, status, wanted, after, limit, forwarded, authorization);
        }
        if (sort != null && !sort.equals("name")) {
            return Problems.of(
                    Response.Status.BAD_REQUEST, "Invalid sort", "sort must be name or duration, got '" + sort + "'");
        }
        StringBuilder query = new StringBuilder("/tasks?limit=").append(limit);
        if (status != null) {
            query.append("&status=").append(URLEncoder.encode(status, StandardCharsets.UTF_8));
        }
        if (after != null) {
            query.append("&cursor=").append(URLEncoder.encode(after, StandardCharsets.UTF_8));
        }
        return Response.ok(Events.toJsonText(queues.explain(reader.read(
                        runId,
                        query.toString(),
                        TaskPage.class,
                        q -> q.tasks(runId, wanted, after, limit),
                        authorization,
                        forwarded != null))))
                .build();
    }

    @POST
    @Path("{runId}/cancel")
    @Operation(summary = "Cancel a run: running tasks are stopped, the others end CANCELLED")
    public Response cancel(
            @PathParam("runId") String runId, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        RunSummary run = summary(runId, authorization);
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
        RunSummary run = summary(runId, authorization);
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
        if (run.taskCount() == 0) {
            return Problems.of(
                    Response.Status.CONFLICT,
                    "Nothing to retry",
                    "run '" + runId + "' has no tasks: it failed at submission ("
                            + reader.read(runId, authorization, false).error() + ")");
        }
        Response refused = publish(TaskRetryRequested.of(runId, Instant.now()));
        return refused != null
                ? refused
                : Response.accepted(Events.toJsonText(Map.of("run_id", runId, "requested", "retry")))
                        .build();
    }

    private Response slowest(
            String runId,
            String status,
            TaskStatus wanted,
            String cursor,
            int limit,
            String forwarded,
            String authorization) {
        int offset;
        try {
            offset = cursor == null ? 0 : Integer.parseInt(cursor);
        } catch (NumberFormatException e) {
            offset = -1;
        }
        if (offset < 0) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid cursor",
                    "with sort=duration the cursor is the next_cursor of the previous page");
        }
        int from = offset;
        String query = "/tasks?sort=duration&limit=" + limit + "&cursor=" + from
                + (status == null ? "" : "&status=" + URLEncoder.encode(status, StandardCharsets.UTF_8));
        return Response.ok(Events.toJsonText(reader.read(
                        runId,
                        query,
                        TaskPage.class,
                        q -> q.scan(runId, (run, scan) -> views.slowest(run, scan, wanted, from, limit)),
                        authorization,
                        forwarded != null)))
                .build();
    }

    /** The run without its tasks: what cancel and retry check, read without reading a large run's every task. */
    private RunSummary summary(String runId, String authorization) {
        return reader.read(runId, "/summary", RunSummary.class, q -> q.summary(runId), authorization, false);
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
