package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorLifecycle;
import io.dagctl.coordinator.query.OwnerForwarder;
import io.dagctl.coordinator.query.RunLookup;
import io.dagctl.coordinator.query.RunQueries;
import io.dagctl.core.model.RunId;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.TaskReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

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
        return read(runId, "", RunReport.class, q -> q.lookup(runId), authorization, forwarded);
    }

    /** One task of the run, its earlier attempts included; null when the run has no such task. */
    TaskReport task(String runId, String task, String authorization, boolean forwarded) {
        return read(
                runId,
                "/tasks/" + URLEncoder.encode(task, StandardCharsets.UTF_8).replace("+", "%20"),
                TaskReport.class,
                q -> q.task(runId, task),
                authorization,
                forwarded);
    }

    /**
     * What {@code query} reads of the run at its owner: here, or asked of the owner once at {@code /api/v1/runs/<id>}
     * followed by {@code subPath} (with its query string).
     *
     * @throws WebApplicationException with a problem response: 404 unknown run, 503 while ownership moves, 502
     */
    <T> T read(
            String runId,
            String subPath,
            Class<T> type,
            Function<RunQueries, RunLookup<T>> query,
            String authorization,
            boolean forwarded) {
        if (!RunId.isValid(runId)) {
            throw new WebApplicationException(
                    Problems.of(Response.Status.NOT_FOUND, "Run not found", "no run with id '" + runId + "'"));
        }
        RunLookup<T> lookup = lifecycle.engine().queries() == null
                ? new RunLookup.Unavailable<>("coordinator is starting")
                : query.apply(lifecycle.engine().queries());
        if (lookup instanceof RunLookup.Found<T> found) {
            return found.value();
        }
        if (lookup instanceof RunLookup.NotFound<T>) {
            throw new WebApplicationException(
                    Problems.of(Response.Status.NOT_FOUND, "Run not found", "no run with id '" + runId + "'"));
        }
        if (lookup instanceof RunLookup.Elsewhere<T> elsewhere) {
            if (forwarded) {
                throw new WebApplicationException(OwnerAnswers.unavailable("run '" + runId + "' is owned by "
                        + elsewhere.hostPort() + ", which sent the request here: ownership is moving"));
            }
            return OwnerAnswers.ask(
                    forwarder,
                    elsewhere.hostPort(),
                    "/api/v1/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8) + subPath,
                    authorization,
                    type,
                    "run '" + runId + "'");
        }
        throw new WebApplicationException(OwnerAnswers.unavailable(((RunLookup.Unavailable<T>) lookup).reason()));
    }
}
