package io.dagctl.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.cli.ExitCodes;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.model.Backfill;
import io.dagctl.core.report.DagApplyResult;
import io.dagctl.core.report.DagPage;
import io.dagctl.core.report.DagReport;
import io.dagctl.core.report.RunPage;
import io.dagctl.core.report.RunReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/** The coordinator's REST API, as the CLI uses it. Every failure is an {@link ApiException} with an exit code. */
public final class CoordinatorClient {

    private final String baseUrl;
    private final String token;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public CoordinatorClient(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    public String baseUrl() {
        return baseUrl;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    /** Submission answer: a run id, or the server's list of problems (then nothing was started). */
    public record Submission(String runId, boolean existing, List<String> problems) {}

    public Submission submit(String dagText, boolean json, Map<String, String> params, String idempotencyKey)
            throws ApiException {
        HttpRequest.Builder request = request("/api/v1/runs" + paramQuery(params))
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
        JsonNode body = json(response.body());
        if (response.statusCode() == 202 || response.statusCode() == 200) {
            return new Submission(
                    body.path("run_id").asText(), body.path("existing").asBoolean(false), List.of());
        }
        if (response.statusCode() == 400 && body.has("errors")) {
            return new Submission(null, false, problems(body));
        }
        throw failure(response, what);
    }

    /** The problems of a 400 answer, each as {@code :line:column: ...} or {@code : parameter 'x': ...}. */
    private static List<String> problems(JsonNode body) {
        List<String> problems = new ArrayList<>();
        for (JsonNode error : body.path("errors")) {
            if (error.path("param").isTextual()) {
                problems.add(" parameter '" + error.path("param").asText() + "': "
                        + error.path("message").asText());
                continue;
            }
            problems.add(error.path("line").asInt() + ":" + error.path("column").asInt() + ": "
                    + (error.path("task").isTextual()
                            ? "task '" + error.path("task").asText() + "', "
                            : "")
                    + (error.path("field").isTextual()
                            ? "field '" + error.path("field").asText() + "': "
                            : "")
                    + error.path("message").asText());
        }
        return problems;
    }

    /** What storing a DAG did, or the server's list of problems (then nothing was stored). */
    public record Applied(DagApplyResult result, List<String> problems) {}

    public Applied applyDag(String name, String dagText, boolean json) throws ApiException {
        HttpResponse<String> response = send(request("/api/v1/dags/" + encode(name))
                .header("Content-Type", json ? "application/json" : "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(dagText, StandardCharsets.UTF_8))
                .build());
        if (response.statusCode() == 200 || response.statusCode() == 201) {
            return new Applied(parse(response.body(), DagApplyResult.class), List.of());
        }
        JsonNode body = json(response.body());
        if (response.statusCode() == 400 && body.has("errors")) {
            return new Applied(null, problems(body));
        }
        if (response.statusCode() == 202) {
            throw new ApiException(
                    ExitCodes.UNAVAILABLE,
                    "storing DAG '" + name + "': accepted, but its owner did not apply it in time; check with"
                            + " 'dagctl dags show " + name + "'");
        }
        throw failure(response, "storing DAG '" + name + "'");
    }

    public DagPage dags() throws ApiException {
        HttpResponse<String> response =
                send(request("/api/v1/dags?limit=1000").GET().build());
        if (response.statusCode() == 200) {
            return parse(response.body(), DagPage.class);
        }
        throw failure(response, "listing DAGs");
    }

    /** @param version null for the latest */
    public DagReport dag(String name, Integer version) throws ApiException {
        String path = "/api/v1/dags/" + encode(name) + (version == null ? "" : "/versions/" + version);
        HttpResponse<String> response = send(request(path).GET().build());
        if (response.statusCode() == 200) {
            return parse(response.body(), DagReport.class);
        }
        throw failure(response, "reading DAG '" + name + "'");
    }

    /** @return false when the change was accepted but its owner had not applied it yet when the API answered */
    public boolean setPaused(String name, boolean paused) throws ApiException {
        HttpResponse<String> response = send(request("/api/v1/dags/" + encode(name) + (paused ? "/pause" : "/unpause"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        if (response.statusCode() == 200 || response.statusCode() == 202) {
            return response.statusCode() == 200;
        }
        throw failure(response, (paused ? "pausing" : "unpausing") + " DAG '" + name + "'");
    }

    /** @return false when the delete was accepted but its owner had not applied it yet when the API answered */
    public boolean deleteDag(String name) throws ApiException {
        HttpResponse<String> response =
                send(request("/api/v1/dags/" + encode(name)).DELETE().build());
        if (response.statusCode() == 200 || response.statusCode() == 202) {
            return response.statusCode() == 200;
        }
        throw failure(response, "deleting DAG '" + name + "'");
    }

    /** Starts a run of a stored DAG's latest version: its run id, or the problems with the parameters. */
    public Submission trigger(String name, Map<String, String> params, String idempotencyKey) throws ApiException {
        HttpRequest.Builder request = request("/api/v1/dags/" + encode(name) + "/runs" + paramQuery(params))
                .POST(HttpRequest.BodyPublishers.noBody());
        return startRun(request, idempotencyKey, "running DAG '" + name + "'");
    }

    /** A backfill started (or found under the idempotency key: {@code existing}), or the problems of its parameters. */
    public record Backfilled(Backfill backfill, boolean existing, List<String> problems) {}

    public Backfilled backfill(
            String name,
            String from,
            String to,
            Integer maxParallel,
            boolean rerun,
            Map<String, String> params,
            String idempotencyKey)
            throws ApiException {
        String query = paramQuery(params);
        StringBuilder path = new StringBuilder("/api/v1/dags/")
                .append(encode(name))
                .append("/backfill")
                .append(query.isEmpty() ? "?" : query + "&")
                .append("from=")
                .append(encode(from))
                .append("&to=")
                .append(encode(to))
                .append("&rerun=")
                .append(rerun);
        if (maxParallel != null) {
            path.append("&max_parallel=").append(maxParallel);
        }
        HttpRequest.Builder request = request(path.toString()).POST(HttpRequest.BodyPublishers.noBody());
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> response = send(request.build());
        if (response.statusCode() == 200 || response.statusCode() == 202) {
            JsonNode body = json(response.body());
            if (body.has("id")) {
                return new Backfilled(parse(response.body(), Backfill.class), response.statusCode() == 200, List.of());
            }
            throw new ApiException(
                    ExitCodes.UNAVAILABLE,
                    "backfilling DAG '" + name + "': accepted, but its owner did not start it in time; check with"
                            + " 'dagctl backfills " + name + "'");
        }
        JsonNode body = json(response.body());
        if (response.statusCode() == 400 && body.has("errors")) {
            return new Backfilled(null, false, problems(body));
        }
        throw failure(response, "backfilling DAG '" + name + "'");
    }

    /** The DAG's backfills, newest first. */
    public List<Backfill> backfills(String name) throws ApiException {
        HttpResponse<String> response = send(
                request("/api/v1/dags/" + encode(name) + "/backfills").GET().build());
        if (response.statusCode() != 200) {
            throw failure(response, "listing the backfills of DAG '" + name + "'");
        }
        List<Backfill> backfills = new ArrayList<>();
        for (JsonNode node : json(response.body()).path("backfills")) {
            backfills.add(parse(node.toString(), Backfill.class));
        }
        return backfills;
    }

    public Backfill backfillProgress(String name, int id) throws ApiException {
        HttpResponse<String> response = send(request("/api/v1/dags/" + encode(name) + "/backfills/" + id)
                .GET()
                .build());
        if (response.statusCode() == 200) {
            return parse(response.body(), Backfill.class);
        }
        throw failure(response, "reading backfill " + id + " of DAG '" + name + "'");
    }

    public Backfill cancelBackfill(String name, int id) throws ApiException {
        HttpResponse<String> response = send(request("/api/v1/dags/" + encode(name) + "/backfills/" + id + "/cancel")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        if (response.statusCode() == 200 && json(response.body()).has("id")) {
            return parse(response.body(), Backfill.class);
        }
        if (response.statusCode() == 200 || response.statusCode() == 202) {
            return backfillProgress(name, id);
        }
        throw failure(response, "cancelling backfill " + id + " of DAG '" + name + "'");
    }

    /** The run's report; empty while the coordinator does not know the run yet (just submitted) or it is moving. */
    public Optional<RunReport> report(String runId) throws ApiException {
        HttpResponse<String> response =
                send(request("/api/v1/runs/" + encode(runId)).GET().build());
        if (response.statusCode() == 200) {
            return Optional.of(parse(response.body(), RunReport.class));
        }
        if (response.statusCode() == 404 || response.statusCode() == 503) {
            return Optional.empty();
        }
        throw failure(response, "reading run " + runId);
    }

    /** The run's report, or an error that says the run does not exist. */
    public RunReport existingReport(String runId) throws ApiException {
        HttpResponse<String> response =
                send(request("/api/v1/runs/" + encode(runId)).GET().build());
        if (response.statusCode() == 200) {
            return parse(response.body(), RunReport.class);
        }
        throw failure(response, "reading run " + runId);
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
            return parse(response.body(), RunPage.class);
        }
        throw failure(response, "listing runs");
    }

    private static void appendQuery(StringBuilder path, String name, String value) {
        if (value != null) {
            path.append('&').append(name).append('=').append(encode(value));
        }
    }

    public void cancel(String runId) throws ApiException {
        action(runId, "cancel");
    }

    public void retry(String runId) throws ApiException {
        action(runId, "retry");
    }

    private void action(String runId, String action) throws ApiException {
        HttpResponse<String> response = send(request("/api/v1/runs/" + encode(runId) + "/" + action)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        if (response.statusCode() != 202) {
            throw failure(response, action + " of run " + runId);
        }
    }

    /** Streams a task attempt's output to {@code sink} as it arrives; returns when the attempt's output ends. */
    public void logs(String runId, String task, Integer attempt, boolean follow, Consumer<String> sink)
            throws ApiException {
        String path = "/api/v1/runs/" + encode(runId) + "/tasks/" + encode(task) + "/logs?follow=" + follow
                + (attempt != null ? "&attempt=" + attempt : "");
        HttpRequest request = request(path).timeout(Duration.ofDays(1)).GET().build();
        try {
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                String body = new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
                throw failure(response.statusCode(), body, "reading the logs of " + task);
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
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ExitCodes.UNAVAILABLE, "interrupted");
        }
    }

    /** True once the coordinator answers its readiness check with UP. */
    public boolean isReady() throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5))
                    .GET()
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        }
    }

    private HttpResponse<String> send(HttpRequest request) throws ApiException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ExitCodes.UNAVAILABLE, "interrupted");
        }
    }

    private ApiException unreachable(IOException e) {
        String why = e instanceof ConnectException || e instanceof HttpConnectTimeoutException
                ? "nothing answers"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new ApiException(
                ExitCodes.UNAVAILABLE,
                "cannot reach the dagctl API at " + baseUrl + " (" + why
                        + "); start a cluster with 'dagctl up' or point --server / DAGCTL_SERVER at one");
    }

    private ApiException failure(HttpResponse<String> response, String what) {
        return failure(response.statusCode(), response.body(), what);
    }

    private ApiException failure(int status, String body, String what) {
        JsonNode problem = json(body);
        String detail =
                problem.path("detail").asText(problem.path("title").asText(body.isBlank() ? "HTTP " + status : body));
        return switch (status) {
            case 401, 403 ->
                new ApiException(
                        ExitCodes.UNAVAILABLE,
                        "the API at " + baseUrl + " refused the token (" + detail
                                + "); pass --token or set DAGCTL_TOKEN");
            case 400, 404, 409, 413, 422 -> new ApiException(ExitCodes.INVALID_INPUT, what + ": " + detail);
            default -> new ApiException(ExitCodes.UNAVAILABLE, what + " failed: HTTP " + status + ": " + detail);
        };
    }

    private static JsonNode json(String body) {
        try {
            return body == null || body.isBlank()
                    ? Events.mapper().nullNode()
                    : Events.mapper().readTree(body);
        } catch (IOException e) {
            return Events.mapper().nullNode();
        }
    }

    private static <T> T parse(String body, Class<T> type) throws ApiException {
        try {
            return Events.fromJson(body.getBytes(StandardCharsets.UTF_8), type);
        } catch (MalformedEventException e) {
            throw new ApiException(
                    ExitCodes.UNAVAILABLE,
                    "the API answered something that is not a " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    /** {@code ?param=NAME%3Dvalue&param=...}, or nothing. */
    private static String paramQuery(Map<String, String> params) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> param : params.entrySet()) {
            query.append(query.length() == 0 ? '?' : '&')
                    .append("param=")
                    .append(encode(param.getKey() + "=" + param.getValue()));
        }
        return query.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
