package io.dagctl.coordinator.query;

import io.dagctl.core.event.WireHeaders;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks another coordinator instance (the owner of a run, or a peer for a listing) and returns its answer. */
public final class OwnerForwarder {

    /** An instance's answer; {@code status} 502 with a message when it could not be asked. */
    public record Answer(int status, String body) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public Answer get(String hostPort, String pathAndQuery, String authorization) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + hostPort + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .header(WireHeaders.FORWARDED, "1");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            HttpResponse<String> answer = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(answer.statusCode(), answer.body());
        } catch (IOException e) {
            return new Answer(502, "the coordinator instance at " + hostPort + " did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(503, "interrupted while asking " + hostPort);
        }
    }
}
