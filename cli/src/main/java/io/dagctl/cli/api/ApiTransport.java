package io.dagctl.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.cli.ExitCodes;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import java.io.IOException;
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
import java.util.concurrent.CompletableFuture;

/**
 * How the CLI's API clients talk HTTP to a coordinator: authenticated requests, and every failure turned into an
 * {@link ApiException} whose message says what went wrong and whose exit code says whose fault it was.
 */
final class ApiTransport {

    /**
     * One HTTP client for the whole process, built on a thread of its own from the moment this class is first used:
     * setting up its TLS context takes about a tenth of a second, which overlaps with reading the DAG and the options.
     */
    private static final CompletableFuture<HttpClient> SHARED_HTTP = CompletableFuture.supplyAsync(
            () -> HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), runnable -> {
                Thread setup = new Thread(runnable, HttpClientThreads.SETUP);
                setup.setDaemon(true);
                setup.start();
            });

    private final String baseUrl;
    private final String token;

    ApiTransport(String baseUrl, String token) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    String baseUrl() {
        return baseUrl;
    }

    HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder =
                HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(60));
        return token == null ? builder : builder.header("Authorization", "Bearer " + token);
    }

    HttpClient http() {
        return SHARED_HTTP.join();
    }

    /** Starts building the HTTP client now, before the first request needs it. */
    static void prepare() {
        SHARED_HTTP.isDone();
    }

    /** The problems of a 400 answer, each as {@code :line:column: ...} or {@code : parameter 'x': ...}. */
    static List<String> problems(JsonNode body) {
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

    HttpResponse<String> send(HttpRequest request) throws ApiException {
        try {
            return http().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(ExitCodes.UNAVAILABLE, "interrupted");
        }
    }

    ApiException unreachable(IOException e) {
        String why = e instanceof ConnectException || e instanceof HttpConnectTimeoutException
                ? "nothing answers"
                : e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new ApiException(
                ExitCodes.UNAVAILABLE,
                "cannot reach the dagctl API at " + baseUrl + " (" + why
                        + "); start a cluster with 'dagctl up' or point --server / DAGCTL_SERVER at one");
    }

    ApiException failure(HttpResponse<String> response, String what) {
        return failure(response.statusCode(), response.body(), what);
    }

    ApiException failure(int status, String body, String what) {
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

    static JsonNode json(String body) {
        try {
            return body == null || body.isBlank()
                    ? Events.mapper().nullNode()
                    : Events.mapper().readTree(body);
        } catch (IOException e) {
            return Events.mapper().nullNode();
        }
    }

    static <T> T parse(String body, Class<T> type) throws ApiException {
        try {
            return Events.fromJson(body.getBytes(StandardCharsets.UTF_8), type);
        } catch (MalformedEventException e) {
            throw new ApiException(
                    ExitCodes.UNAVAILABLE,
                    "the API answered something that is not a " + type.getSimpleName() + ": " + e.getMessage());
        }
    }

    /** {@code ?param=NAME%3Dvalue&param=...}, or nothing. */
    static String paramQuery(Map<String, String> params) {
        StringBuilder query = new StringBuilder();
        for (Map.Entry<String, String> param : params.entrySet()) {
            query.append(query.length() == 0 ? '?' : '&')
                    .append("param=")
                    .append(encode(param.getKey() + "=" + param.getValue()));
        }
        return query.toString();
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
