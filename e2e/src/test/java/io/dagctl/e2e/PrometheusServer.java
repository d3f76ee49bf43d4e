package io.dagctl.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.core.event.Events;
import io.dagctl.kafka.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.concurrent.TimeUnit;
import java.util.function.DoublePredicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/** A real Prometheus server (the Debian package's binary) scraping dagctl services every second, and its query API. */
final class PrometheusServer implements AutoCloseable {

    private final Process process;
    private final String base;
    private final HttpClient http = HttpClient.newHttpClient();
    final Path log;

    PrometheusServer(Path dir, List<String> coordinatorTargets, List<String> workerTargets, Path ruleFile)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        int port = FreePorts.next();
        base = "http://127.0.0.1:" + port;
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files: ["%s"]
                scrape_configs:
                  - job_name: dagctl-coordinator
                    metrics_path: /q/metrics
                    static_configs: [{targets: %s}]
                  - job_name: dagctl-worker
                    metrics_path: /q/metrics
                    static_configs: [{targets: %s}]
                """.formatted(ruleFile, yamlList(coordinatorTargets), yamlList(workerTargets)));
        log = dir.resolve("prometheus.log");
        process = new ProcessBuilder(
                        Tools.path("prometheus"),
                        "--config.file=" + config,
                        "--storage.tsdb.path=" + dir.resolve("data"),
                        "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            Awaitility.await("Prometheus ready")
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .failFast("Prometheus exited", () -> !process.isAlive())
                    .until(this::ready);
        } catch (ConditionTimeoutException | TerminalFailureException e) {
            throw new IllegalStateException("Prometheus did not start:\n" + Files.readString(log), e);
        }
    }

    private static String yamlList(List<String> targets) {
        return targets.stream().map(t -> "\"" + t + "\"").toList().toString();
    }

    private boolean ready() {
        try {
            return http.send(
                                    HttpRequest.newBuilder(URI.create(base + "/-/ready"))
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

    /** The result vector of an instant query. */
    JsonNode query(String promql) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(
                                base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode body = Events.mapper().readTree(response.body());
        if (response.statusCode() != 200
                || !"success".equals(body.path("status").asText())) {
            throw new IllegalStateException("query " + promql + " failed: " + response.body());
        }
        return body.path("data").path("result");
    }

    /** The first sample's value of an instant query, or empty when the result is empty. */
    OptionalDouble value(String promql) throws IOException, InterruptedException {
        JsonNode result = query(promql);
        return result.isEmpty()
                ? OptionalDouble.empty()
                : OptionalDouble.of(result.get(0).path("value").get(1).asDouble());
    }

    /** Waits until the query gives a value that passes {@code test}; returns it, or fails with the last one seen. */
    double await(String promql, DoublePredicate test, Duration timeout) {
        return Awaitility.await("Prometheus query " + promql + " to give the expected value")
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> value(promql), value -> value.isPresent() && test.test(value.getAsDouble()))
                .getAsDouble();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
