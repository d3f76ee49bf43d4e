package io.dagctl.coordinator.api;

import io.dagctl.coordinator.view.RunView;
import io.dagctl.coordinator.view.RunViews;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.report.TaskReport;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/** What the run page reads: the run's graph and timeline, and one task. Both are read at the run's owner. */
@Path("/api/v1/runs/{runId}")
@Produces(MediaType.APPLICATION_JSON)
public class RunViewResource {

    private static final Pattern GROUP_IDS = Pattern.compile("g\\d{1,4}(,g\\d{1,4}){0,31}");

    private final RunReader reader;
    private final RunViews views;

    public RunViewResource(RunReader reader, RunViews views) {
        this.reader = reader;
        this.views = views;
    }

    @GET
    @Path("view")
    @Operation(
            summary = "The run's graph laid out left to right and its timeline, one row per box; a run of more than"
                    + " 150 tasks is shown in groups of levels, which expand opens")
    public Response view(
            @PathParam("runId") String runId,
            @Parameter(description = "groups to open, comma-separated (g3,g7)") @QueryParam("expand") String expand,
            @HeaderParam(WireHeaders.FORWARDED) String forwarded,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (expand != null && !expand.isEmpty() && !GROUP_IDS.matcher(expand).matches()) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid expand",
                    "expand takes up to 32 group ids such as g3,g7; got '" + abbreviate(expand) + "'");
        }
        Set<String> expanded =
                expand == null || expand.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(expand.split(",")));
        String query = expanded.isEmpty()
                ? "/view"
                : "/view?expand=" + URLEncoder.encode(String.join(",", expanded), StandardCharsets.UTF_8);
        RunView view = reader.read(
                runId,
                query,
                RunView.class,
                q -> q.scan(runId, (run, scan) -> views.view(run, scan, expanded)),
                authorization,
                forwarded != null);
        return Response.ok(Events.toJsonText(view)).build();
    }

    @GET
    @Path("tasks/{task}")
    @Operation(summary = "One task of the run: its status, last attempt, outputs and earlier attempts")
    public Response task(
            @PathParam("runId") String runId,
            @PathParam("task") String task,
            @HeaderParam(WireHeaders.FORWARDED) String forwarded,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        TaskReport report = reader.task(runId, task, authorization, forwarded != null);
        if (report == null) {
            return Problems.of(
                    Response.Status.NOT_FOUND, "Task not found", "run '" + runId + "' has no task '" + task + "'");
        }
        return Response.ok(Events.toJsonText(report)).build();
    }

    private static String abbreviate(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
