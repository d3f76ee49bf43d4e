package io.dagctl.coordinator.api;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Asks the coordinator instance that owns a run to answer a read, and relays its answer. */
@ApplicationScoped
public class OwnerForwarder {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Response forward(String hostPort, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + hostPort + path))
                .timeout(Duration.ofSeconds(10))
                .header(RunResource.FORWARDED_HEADER, "1")
                .GET().build();
        try {
            HttpResponse<String> answer = http.send(request, HttpResponse.BodyHandlers.ofString());
            return Response.status(answer.statusCode()).entity(answer.body())
                    .type(answer.headers().firstValue("Content-Type").orElse("application/json")).build();
        } catch (IOException e) {
            return Problems.of(Response.Status.BAD_GATEWAY, "Owner unreachable",
                    "the instance that owns this run (" + hostPort + ") did not answer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Problems.of(Response.Status.SERVICE_UNAVAILABLE, "Interrupted", "interrupted while asking " + hostPort);
        }
    }
}
