package io.dagctl.coordinator.query;

import io.dagctl.core.event.WireHeaders;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Asks another coordinator instance (the owner of a run, or a peer for a listing) and returns its answer. The
 * caller's bearer token goes with the request, so that the other instance checks it as it would its own caller's.
 * Over plain HTTP that token crosses the network in clear: instances that reach each other outside this host should
 * use {@code https} (README, "Security"); the first such request to each host logs a warning.
 */
public final class OwnerForwarder {

    private static final System.Logger LOG = System.getLogger(OwnerForwarder.class.getName());

    /** An instance's answer; {@code status} 502 with a message when it could not be asked. */
    public record Answer(int status, String body) {}

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String scheme;
    private final Set<String> warnedHosts = ConcurrentHashMap.newKeySet();

    /** @param scheme {@code http} or {@code https}: how the instances' APIs are reached */
    public OwnerForwarder(String scheme) {
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the API scheme must be http or https, got '" + scheme + "'");
        }
        this.scheme = scheme;
    }

    /** @param pathAndQuery already encoded */
    public Answer get(String hostPort, String pathAndQuery, String authorization) {
        URI uri = URI.create(scheme + "://" + hostPort + pathAndQuery);
        HttpRequest.Builder request =
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header(WireHeaders.FORWARDED, "1");
        if (authorization != null) {
            warnIfInClear(uri);
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

    private void warnIfInClear(URI uri) {
        if (!"http".equals(uri.getScheme()) || isLoopback(uri.getHost()) || !warnedHosts.add(uri.getHost())) {
            return;
        }
        LOG.log(
                System.Logger.Level.WARNING,
                "forwarding API requests, with their bearer tokens, to {0} over plain HTTP; set"
                        + " dagctl.coordinator.advertised-scheme=https (and TLS on the API) where the network between"
                        + " instances is not private",
                uri.getHost());
    }

    private static boolean isLoopback(String host) {
        try {
            return host == null || InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
