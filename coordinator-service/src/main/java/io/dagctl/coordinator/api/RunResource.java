package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorLifecycle;
import io.dagctl.coordinator.app.CoordinatorSettings;
import io.dagctl.coordinator.query.OwnerForwarder;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.parse.DagParser;
import io.dagctl.core.parse.DagValidationException;
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
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * Runs: submit, list, read, cancel, retry. Every write is a command on the commands topic, applied by the run's
 * owner; reads come from the owner's state stores.
 */
@Path("/api/v1/runs")
@Produces(MediaType.APPLICATION_JSON)
public class RunResource {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private static final int MAX_LIMIT = 1000;
    private static final Pattern PARAM_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private final CommandPublisher publisher;
    private final CoordinatorLifecycle lifecycle;
    private final OwnerForwarder forwarder;
    private final RunReader reader;
    private final DagParser parser;
    private final Duration submitVisibleWait;

    public RunResource(
            CommandPublisher publisher,
            CoordinatorLifecycle lifecycle,
            OwnerForwarder forwarder,
            RunReader reader,
            CoordinatorSettings settings) {
        this.publisher = publisher;
        this.lifecycle = lifecycle;
        this.forwarder = forwarder;
        this.reader = reader;
        this.parser = new DagParser(DagParser.DEFAULT_MAX_CHARS, settings.api().maxTasks());
        this.submitVisibleWait = settings.api().submitVisibleWait();
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Submit a DAG (YAML or JSON body); 202 with the run id, 400 with every validation problem")
    public Response submit(
            String body,
            @HeaderParam("Idempotency-Key") String idempotencyKey,
            @Parameter(description = "run parameter NAME=value, repeatable; tasks see DAGCTL_PARAM_NAME")
                    @QueryParam("param")
                    List<String> paramArgs,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid Idempotency-Key",
                    "the key must be 1 to 255 visible ASCII characters");
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String arg : paramArgs == null ? List.<String>of() : paramArgs) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (eq < 0 || !PARAM_NAME.matcher(name).matches() || params.put(name, arg.substring(eq + 1)) != null) {
                return Problems.of(
                        Response.Status.BAD_REQUEST,
                        "Invalid run parameter",
                        "'" + arg + "' is not NAME=value with a unique NAME of letters, digits and '_'"
                                + " (not starting with a digit)");
            }
        }
        DagSpec dag;
        try {
            dag = parser.parse(body == null ? "" : body, "request body");
        } catch (DagValidationException e) {
            return Problems.invalidDag(e.problems());
        }
        Instant now = Instant.now();
        String runId = idempotencyKey == null ? RunIds.next(now) : RunIds.fromIdempotencyKey(idempotencyKey);
        if (idempotencyKey != null) {
            try {
                RunReport existing = reader.read(runId, authorization, false);
                return Response.ok(Events.toJsonText(accepted(
                                existing.runId(),
                                existing.dag(),
                                existing.tasks().size(),
                                true)))
                        .location(URI.create("/api/v1/runs/" + runId))
                        .build();
            } catch (WebApplicationException e) {
                if (e.getResponse().getStatus() != 404) {
                    return e.getResponse();
                }
            }
        }
        Response refused = publish(new RunSubmitted(Events.SCHEMA_VERSION, runId, dag, params, now, idempotencyKey));
        if (refused != null) {
            return refused;
        }
        awaitReadable(runId, authorization);
        return Response.accepted(Events.toJsonText(
                        accepted(runId, dag.name(), dag.tasks().size(), false)))
                .location(URI.create("/api/v1/runs/" + runId))
                .build();
    }

    private static Map<String, Object> accepted(String runId, String dag, int tasks, boolean existing) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run_id", runId);
        body.put("dag", dag);
        body.put("tasks", tasks);
        body.put("existing", existing);
        body.put("status_url", "/api/v1/runs/" + runId);
        return body;
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
        if (limit < 1 || limit > MAX_LIMIT || offset < 0) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid paging",
                    "limit must be 1 to " + MAX_LIMIT + " and offset 0 or more");
        }
        if (lifecycle.engine().listing() == null || !lifecycle.engine().isRunning()) {
            return Response.fromResponse(Problems.of(
                            Response.Status.SERVICE_UNAVAILABLE,
                            "Coordinator not ready",
                            "coordinator is " + lifecycle.engine().state()))
                    .header("Retry-After", "1")
                    .build();
        }
        List<RunSummary> all = new ArrayList<>(lifecycle.engine().listing().local());
        if (!"local".equals(scope)) {
            for (String peer : lifecycle.engine().listing().otherInstances()) {
                OwnerForwarder.Answer answer =
                        forwarder.get(peer, "/api/v1/runs?scope=local&limit=" + MAX_LIMIT + "&offset=0", authorization);
                if (answer.status() != 200) {
                    return Problems.of(
                            Response.Status.BAD_GATEWAY,
                            "Listing incomplete",
                            "coordinator instance " + peer + " did not list its runs: HTTP " + answer.status());
                }
                all.addAll(parseListing(answer.body()));
            }
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

    private static List<RunSummary> parseListing(String json) {
        try {
            return Events.fromJson(json.getBytes(StandardCharsets.UTF_8), RunPage.class)
                    .runs();
        } catch (MalformedEventException e) {
            throw new WebApplicationException(Problems.of(
                    Response.Status.BAD_GATEWAY,
                    "Listing incomplete",
                    "a coordinator instance answered a listing that cannot be read: " + e.getMessage()));
        }
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
        Response refused = publish(TaskRetryRequested.of(runId, null, Instant.now()));
        return refused != null
                ? refused
                : Response.accepted(Events.toJsonText(Map.of("run_id", runId, "requested", "retry")))
                        .build();
    }

    /**
     * Read-your-writes for clients: the 202 comes once the owner has applied the submission, so a GET, an event stream
     * or a cancel sent right after it finds the run. Bounded; the command is durable in Kafka either way.
     */
    private void awaitReadable(String runId, String authorization) {
        long deadline = System.nanoTime() + submitVisibleWait.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                reader.read(runId, authorization, false);
                return;
            } catch (WebApplicationException notYet) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Null when the command is in Kafka, else the response to send. */
    private Response publish(RunCommand command) {
        try {
            publisher.publish(command);
            return null;
        } catch (CommandPublisher.CommandNotAcceptedException e) {
            return Problems.of(Response.Status.SERVICE_UNAVAILABLE, "Command not accepted", e.getMessage());
        }
    }
}
