package io.dagctl.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.core.event.Events;
import io.dagctl.core.report.RunReport;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The coordinator's REST API, as the CLI uses it. */
public final class CoordinatorClient {

    private final String baseUrl;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public CoordinatorClient(String baseUrl, String token) {
        this.baseUrl = baseUrl;
        this.token = token;
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    /** Submission answer: a run id, or the server's list of problems. */
    public record Submission(String runId, List<String> problems) {
    }

    public Submission submit(String dagText, String fileName) throws IOException, InterruptedException {
        HttpRequest request = request("/api/v1/runs")
                .timeout(Duration.ofSeconds(60))
                .header("Content-Type", fileName.endsWith(".json") ? "application/json" : "application/yaml")
                .POST(HttpRequest.BodyPublishers.ofString(dagText, StandardCharsets.UTF_8)).build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        JsonNode body = Events.mapper().readTree(response.body());
        if (response.statusCode() == 202) {
            return new Submission(body.path("run_id").asText(), List.of());
        }
        List<String> problems = new ArrayList<>();
        for (JsonNode error : body.path("errors")) {
            problems.add(error.path("message").asText());
        }
        if (problems.isEmpty()) {
            problems.add("HTTP " + response.statusCode() + ": " + body.path("detail").asText(response.body()));
        }
        return new Submission(null, problems);
    }

    /** The run's report; empty while the coordinator does not know the run yet (or is moving it). */
    public Optional<RunReport> report(String runId) throws IOException, InterruptedException {
        HttpRequest request = request("/api/v1/runs/" + runId)
                .timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() == 200) {
            return Optional.of(Events.fromJson(response.body(), RunReport.class));
        }
        if (response.statusCode() == 404 || response.statusCode() == 503) {
            return Optional.empty();
        }
        throw new IOException("GET /api/v1/runs/" + runId + " answered HTTP " + response.statusCode() + ": "
                + new String(response.body(), StandardCharsets.UTF_8));
    }

    /** True once the coordinator answers its readiness check with UP. */
    public boolean isReady() throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (ConnectException e) {
            return false;
        } catch (IOException e) {
            return false;
        }
    }
}
