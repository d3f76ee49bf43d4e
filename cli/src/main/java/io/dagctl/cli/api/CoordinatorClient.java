package io.dagctl.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.cli.ExitCodes;
import io.dagctl.core.report.DagApplyResult;
import io.dagctl.core.report.DagPage;
import io.dagctl.core.report.DagReport;
import io.dagctl.core.report.PoolPage;
import io.dagctl.core.report.PoolReport;
import io.dagctl.core.report.RunPage;
import io.dagctl.core.report.RunReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The coordinator's REST API, as the CLI uses it. Every failure is an {@link ApiException} with an exit code. */
public final class CoordinatorClient {

    private final ApiTransport transport;

    public CoordinatorClient(String baseUrl, String token) {
        this.transport = new ApiTransport(baseUrl, token);
    }

    /** Starts what every client needs (the HTTP client) on another thread while the caller reads its inputs. */
    /**
     * Ends the shared HTTP client's threads, if it was made, so that the JVM exits at once: HotSpot's exit waits up to
     * 300 ms for threads in native code to block, and the client's selector sits in {@code epoll_wait} for as long as
     * the client lives (JDK 17's client has no close). Does not make the client when there is none.
     */
    public static void endSharedClient() {
        HttpClientThreads.end();
    }

    public static void prepare() {
        ApiTransport.prepare();
    }

    public String baseUrl() {
        return transport.baseUrl();
    }

    /** The same connection, for the calls of other API clients (backfills). */
    ApiTransport transport() {
        return transport;
    }

    private HttpRequest.Builder request(String path) {
        return transport.request(path);
    }

    private HttpResponse<String> send(HttpRequest request) throws ApiException {
        return transport.send(request);
    }

    /**
     * Submission answer: a run id, or the server's list of problems (then nothing was started).
     *
     * @param queued the run waits QUEUED for a place under its DAG's {@code max_active_runs}
     */
    public record Submission(String runId, boolean existing, List<String> problems, boolean queued) {}

    public Submission submit(String dagText, boolean json, Map<String, String> params, String idempotencyKey)
            throws ApiException {
        HttpRequest.Builder request = request("/api/v1/runs" + ApiTransport.paramQuery(params))
                .header("Content-Type", json ? "application/json" : "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(dagText, StandardCharsets.UTF_8));
        return startRun(request, idempotencyKey, "submitting the DAG");
    }

    /** Sends a request that starts a run: its id (200 for a run that already had the key), or the 400's problems. */
    private Submission startRun(HttpRequest.Builder request, String idempotencyKey, String what) throws ApiException {
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> response = send(request.build());
        JsonNode body = ApiTransport.json(response.body());
        if (response.statusCode() == 202 || response.statusCode() == 200) {
            return new Submission(
                    body.path("run_id").asText(),
                    body.path("existing").asBoolean(false),
                    List.of(),
                    body.path("queued").asBoolean(false));
        }
        if (response.statusCode() == 400 && body.has("errors")) {
            return new Submission(null, false, ApiTransport.problems(body), false);
        }
        throw transport.failure(response, what);
    }

    /** What storing a DAG did, or the server's list of problems (then nothing was stored). */
    public record Applied(DagApplyResult result, List<String> problems) {}

    public Applied applyDag(String name, String dagText, boolean json) throws ApiException {
        HttpResponse<String> response = send(request("/api/v1/dags/" + ApiTransport.encode(name))
                .header("Content-Type", json ? "application/json" : "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(dagText, StandardCharsets.UTF_8))
                .build());
        if (response.statusCode() == 200 || response.statusCode() == 201) {
            return new Applied(ApiTransport.parse(response.body(), DagApplyResult.class), List.of());
        }
        JsonNode body = ApiTransport.json(response.body());
        if (response.statusCode() == 400 && body.has("errors")) {
            return new Applied(null, ApiTransport.problems(body));
        }
        if (response.statusCode() == 202) {
            throw new ApiException(
                    ExitCodes.UNAVAILABLE,
                    "storing DAG '" + name + "': accepted, but its owner did not apply it in time; check with"
                            + " 'dagctl dags show " + name + "'");
        }
        throw transport.failure(response, "storing DAG '" + name + "'");
    }

    public PoolPage pools() throws ApiException {
        HttpResponse<String> response = send(request("/api/v1/pools").GET().build());
        if (response.statusCode() == 200) {
            return ApiTransport.parse(response.body(), PoolPage.class);
        }
        throw transport.failure(response, "listing pools");
    }

    /** Sets a pool's slots: the pool as its owner applied it, or null when it accepted it without showing it yet. */
    public PoolReport setPool(String name, int slots) throws ApiException {
        HttpResponse<String> response = send(request("/api/v1/pools/" + ApiTransport.encode(name))
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"slots\":" + slots + "}", StandardCharsets.UTF_8))
                .build());
        if (response.statusCode() == 200) {
            return ApiTransport.parse(response.body(), PoolReport.class);
        }
        if (response.statusCode() == 202) {
            return null;
        }
        throw transport.failure(response, "setting pool '" + name + "'");
    }

    public DagPage dags() throws ApiException {
        HttpResponse<String> response =
                send(request("/api/v1/dags?limit=1000").GET().build());
        if (response.statusCode() == 200) {
            return ApiTransport.parse(response.body(), DagPage.class);
        }
        throw transport.failure(response, "listing DAGs");
    }

    /** @param version null for the latest */
    public DagReport dag(String name, Integer version) throws ApiException {
        String path = "/api/v1/dags/" + ApiTransport.encode(name) + (version == null ? "" : "/versions/" + version);
        HttpResponse<String> response = send(request(path).GET().build());
        if (response.statusCode() == 200) {
            return ApiTransport.parse(response.body(), DagReport.class);
        }
        throw transport.failure(response, "reading DAG '" + name + "'");
    }

    /** @return false when the change was accepted but its owner had not applied it yet when the API answered */
    public boolean setPaused(String name, boolean paused) throws ApiException {
        HttpResponse<String> response =
                send(request("/api/v1/dags/" + ApiTransport.encode(name) + (paused ? "/pause" : "/unpause"))
                        .POST(HttpRequest.BodyPublishers.noBody())
                        .build());
        if (response.statusCode() == 200 || response.statusCode() == 202) {
            return response.statusCode() == 200;
        }
        throw transport.failure(response, (paused ? "pausing" : "unpausing") + " DAG '" + name + "'");
    }

    /** @return false when the delete was accepted but its owner had not applied it yet when the API answered */
    public boolean deleteDag(String name) throws ApiException {
        HttpResponse<String> response = send(
                request("/api/v1/dags/" + ApiTransport.encode(name)).DELETE().build());
        if (response.statusCode() == 200 || response.statusCode() == 202) {
            return response.statusCode() == 200;
        }
        throw transport.failure(response, "deleting DAG '" + name + "'");
    }

    /** Starts a run of a stored DAG's latest version: its run id, or the problems with the parameters. */
    public Submission trigger(String name, Map<String, String> params, String idempotencyKey) throws ApiException {
        HttpRequest.Builder request = request(
                        "/api/v1/dags/" + ApiTransport.encode(name) + "/runs" + ApiTransport.paramQuery(params))
                .POST(HttpRequest.BodyPublishers.noBody());
        return startRun(request, idempotencyKey, "running DAG '" + name + "'");
    }

    /** The run's report; empty while the coordinator does not know the run yet (just submitted) or it is moving. */
    public Optional<RunReport> report(String runId) throws ApiException {
        HttpResponse<String> response =
                send(request("/api/v1/runs/" + ApiTransport.encode(runId)).GET().build());
        if (response.statusCode() == 200) {
            return Optional.of(ApiTransport.parse(response.body(), RunReport.class));
        }
        if (response.statusCode() == 404 || response.statusCode() == 503) {
            return Optional.empty();
        }
        throw transport.failure(response, "reading run " + runId);
    }

    /** The run's state changes as they happen, pushed by the coordinator; the caller closes it. */
    public RunEventStream runEvents(String runId) {
        return new RunEventStream(transport, runId);
    }

    /** The error a refused event stream stands for. */
    public ApiException refused(RunEventStream.Ended ended, String runId) {
        return transport.failure(ended.status(), ended.detail(), "following run " + runId);
    }

    /** The run's report, or an error that says the run does not exist. */
    public RunReport existingReport(String runId) throws ApiException {
        HttpResponse<String> response =
                send(request("/api/v1/runs/" + ApiTransport.encode(runId)).GET().build());
        if (response.statusCode() == 200) {
            return ApiTransport.parse(response.body(), RunReport.class);
        }
        throw transport.failure(response, "reading run " + runId);
    }

    /** A run listing's filters (null: any) and page. */
    public record RunQuery(
            String status, String dag, String trigger, String since, String until, String cursor, int limit) {}

    public RunPage runs(RunQuery query) throws ApiException {
        StringBuilder path = new StringBuilder("/api/v1/runs?limit=").append(query.limit());
        appendQuery(path, "status", query.status());
        appendQuery(path, "dag", query.dag());
        appendQuery(path, "trigger", query.trigger());
        appendQuery(path, "since", query.since());
        appendQuery(path, "until", query.until());
        appendQuery(path, "cursor", query.cursor());
        HttpResponse<String> response = send(request(path.toString()).GET().build());
        if (response.statusCode() == 200) {
            return ApiTransport.parse(response.body(), RunPage.class);
        }
        throw transport.failure(response, "listing runs");
    }

    private static void appendQuery(StringBuilder path, String name, String value) {
        if (value != null) {
            path.append('&').append(name).append('=').append(ApiTransport.encode(value));
        }
    }

    public void cancel(String runId) throws ApiException {
        action(runId, "cancel");
    }

    public void retry(String runId) throws ApiException {
        action(runId, "retry");
    }

    private void action(String runId, String action) throws ApiException {
        HttpResponse<String> response = send(request("/api/v1/runs/" + ApiTransport.encode(runId) + "/" + action)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        if (response.statusCode() != 202) {
            throw transport.failure(response, action + " of run " + runId);
        }
    }

    /** Streams a task attempt's output to {@code sink} as it arrives; returns when the attempt's output ends. */
    public void logs(String runId, String task, Integer attempt, boolean follow, Consumer<String> sink)
            throws ApiException {
        String path = "/api/v1/runs/" + ApiTransport.encode(runId) + "/tasks/" + ApiTransport.encode(task)
                + "/logs?follow=" + follow + (attempt != null ? "&attempt=" + attempt : "");
        HttpRequest request = request(path).timeout(Duration.ofDays(1)).GET().build();
        try {
            HttpResponse<InputStream> response =
                    transport.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                throw transport.failure(response.statusCode(), body, "reading the logs of " + task);
            }
            try (BufferedReader reader =
                    new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
                char[] buffer = new char[8192];
                int n;
                while ((n = reader.read(buffer)) != -1) {
                    sink.accept(new String(buffer, 0, n));
                }
            }
        } catch (IOException e) {
            throw transport.unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ExitCodes.UNAVAILABLE, "interrupted");
        }
    }

    /** True once the coordinator answers its readiness check with UP. */
    public boolean isReady() throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(transport.baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build();
            return transport
                            .http()
                            .send(request, HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        }
    }
}
