package io.dagctl.e2e;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.core.event.Events;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.TaskReport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.Predicate;

/** The coordinator's REST API over real HTTP. */
public final class CoordinatorApi {

    public record Answer(int status, JsonNode body) {}

    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newHttpClient();

    public CoordinatorApi(String base, String token) {
        this.base = base;
        this.token = token;
    }

    public String base() {
        return base;
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    boolean isReady() {
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/q/health/ready"))
                                            .build(),
                                    HttpResponse.BodyHandlers.discarding())
                            .statusCode()
                    == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public Answer send(HttpRequest request) throws Exception {
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body().isBlank()
                ? Events.mapper().nullNode()
                : Events.mapper().readTree(r.body());
        return new Answer(r.statusCode(), body);
    }

    Answer post(String body, String contentType) throws Exception {
        return send(request("/api/v1/runs")
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    public Answer post(String path) throws Exception {
        return send(request(path).POST(HttpRequest.BodyPublishers.noBody()).build());
    }

    public Answer put(String path, String body) throws Exception {
        return send(request(path)
                .header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build());
    }

    public String submit(String yaml) throws Exception {
        Answer answer = post(yaml, "application/yaml");
        if (answer.status() != 202) {
            throw new AssertionError("submission refused: HTTP " + answer.status() + " " + answer.body());
        }
        return answer.body().get("run_id").asText();
    }

    public Answer get(String runId) throws Exception {
        return send(request("/api/v1/runs/" + runId).build());
    }

    /** A streaming GET (SSE, logs) as lines, read as they arrive. */
    BufferedReader stream(String path) throws Exception {
        HttpResponse<InputStream> r = http.send(request(path).build(), HttpResponse.BodyHandlers.ofInputStream());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": HTTP " + r.statusCode() + " "
                    + new String(r.body().readAllBytes(), StandardCharsets.UTF_8));
        }
        return new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8));
    }

    public String text(String path) throws Exception {
        HttpResponse<String> r = http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new AssertionError("GET " + path + ": HTTP " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** Polls until the run ends; fails the test if it has not ended in {@code timeout}. */
    public RunReport awaitEnd(String runId, Duration timeout) throws Exception {
        return awaitReport(runId, timeout, r -> r.status().isTerminal(), "end");
    }

    /** Polls until {@code task} of the run is RUNNING. */
    RunReport awaitRunning(String runId, String task, Duration timeout) throws Exception {
        return awaitReport(
                runId,
                timeout,
                r -> r.tasks().stream().anyMatch(t -> t.name().equals(task) && t.status() == TaskStatus.RUNNING),
                "run task " + task);
    }

    RunReport awaitReport(String runId, Duration timeout, Predicate<RunReport> done, String what) {
        return await("run " + runId + " to " + what)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> report(runId), report -> report != null && done.test(report));
    }

    /** The run's report, or null while the API does not have it. */
    private RunReport report(String runId) throws Exception {
        Answer answer = get(runId);
        return answer.status() == 200 ? Events.mapper().treeToValue(answer.body(), RunReport.class) : null;
    }

    static TaskReport task(RunReport report, String name) {
        return report.tasks().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow();
    }
}
