package io.dagctl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.core.event.Events;
import io.dagctl.core.report.RunReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The coordinator's REST API over real HTTP. */
final class CoordinatorApi {

    record Answer(int status, JsonNode body) {
    }

    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();

    CoordinatorApi(String base) {
        this.base = base;
    }

    boolean isReady() {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(base + "/q/health/ready")).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    Answer post(String body, String contentType) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/runs"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), Events.mapper().readTree(r.body()));
    }

    String submit(String yaml) throws Exception {
        Answer answer = post(yaml, "application/yaml");
        if (answer.status() != 202) {
            throw new AssertionError("submission refused: HTTP " + answer.status() + " " + answer.body());
        }
        return answer.body().get("run_id").asText();
    }

    Answer get(String runId) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/runs/" + runId)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), Events.mapper().readTree(r.body()));
    }

    /** Polls until the run ends; fails the test if it has not ended in {@code timeout}. */
    RunReport awaitEnd(String runId, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        RunReport last = null;
        while (System.nanoTime() < deadline) {
            Answer answer = get(runId);
            if (answer.status() == 200) {
                last = Events.mapper().treeToValue(answer.body(), RunReport.class);
                if (last.status().isTerminal()) {
                    return last;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("run " + runId + " did not end within " + timeout + "; last report: " + last);
    }
}
