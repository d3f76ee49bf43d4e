package io.dagctl.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dagctl.coordinator.engine.CoordinatorConfig;
import io.dagctl.coordinator.engine.CoordinatorEngine;
import io.dagctl.coordinator.engine.EngineTelemetry;
import io.dagctl.coordinator.engine.OwnedWork;
import io.dagctl.coordinator.engine.RunIndex;
import io.dagctl.coordinator.engine.RunObserver;
import io.dagctl.coordinator.query.RunLookup;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.report.RunPage;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.RunSummary;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A second coordinator engine joins the in-process one's group and takes half of the runs; its "API" is a small HTTP
 * server in the test that answers from that engine's stores and remembers what it was asked. The in-process API must
 * forward reads of the other engine's runs to it, with the caller's token, exactly once.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class OwnerForwardingTest {

    private static final String BEARER = "Bearer " + EmbeddedKafkaResource.TOKEN;
    private static final String ONE_TASK = "name: forwarded\ntasks:\n  - {name: a, command: 'true'}\n";

    private final Map<String, Map<String, String>> forwardedHeaders = new ConcurrentHashMap<>();
    private HttpServer peer;
    private CoordinatorEngine peerEngine;

    private void startPeer() throws Exception {
        peer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        peer.createContext("/api/v1/runs", this::answer);
        peer.start();
        CoordinatorConfig defaults = CoordinatorConfig.localDefaults(
                EmbeddedKafkaResource.bootstrapServers(), EmbeddedKafkaResource.scratch("peer-" + System.nanoTime()));
        CoordinatorConfig.Connection own = defaults.connection();
        CoordinatorConfig config = new CoordinatorConfig(
                new CoordinatorConfig.Connection(
                        own.bootstrapServers(),
                        own.kafkaProperties(),
                        own.applicationId(),
                        "127.0.0.1:" + peer.getAddress().getPort(),
                        own.stateDir(),
                        own.topics()),
                defaults.partitioning(),
                defaults.timing(),
                defaults.limits(),
                defaults.retention());
        peerEngine = new CoordinatorEngine(
                config, new EngineTelemetry(new RunObserver() {}, new OwnedWork(), streams -> {}));
        peerEngine.start();
        await("both instances running")
                .atMost(Duration.ofSeconds(60))
                .until(() ->
                        peerEngine.isRunning() && given().get("/q/health/ready").statusCode() == 200);
    }

    /** Leaves the in-process instance alone again, owning every partition, for the tests that follow. */
    private void stopPeer() {
        peerEngine.close();
        peer.stop(0);
        await("the in-process instance to list alone")
                .atMost(Duration.ofSeconds(60))
                .until(() -> given().header("Authorization", BEARER)
                                .get("/api/v1/runs")
                                .statusCode()
                        == 200);
    }

    /** One peer for every step: each join and leave of an instance costs a rebalance of several seconds. */
    @Test
    void readsOfAnotherInstancesRunsAreForwardedOnceWithTheCallersToken() throws Exception {
        startPeer();
        try {
            String remote = runOwnedByPeer();
            forwardedWithTheCallersToken(remote);
            listingsMergeThePeersRuns(remote);
            aForwardedReadThatMeetsAnotherNonOwnerIs503InsteadOfASecondHop(remote);
            anOwnerThatDoesNotAnswerIs502ThatNamesIt(remote);
        } finally {
            stopPeer();
        }
    }

    private void forwardedWithTheCallersToken(String remote) {
        given().header("Authorization", BEARER)
                .get("/api/v1/runs/" + remote)
                .then()
                .statusCode(200)
                .body("run_id", equalTo(remote))
                .body("dag", equalTo("forwarded"));
        Map<String, String> headers = forwardedHeaders.get("/api/v1/runs/" + remote);
        assertNotNull(headers, "the owner was asked: " + forwardedHeaders.keySet());
        assertEquals(BEARER, headers.get("authorization"), "the caller's token goes with the request");
        assertEquals("1", headers.get(WireHeaders.FORWARDED.toLowerCase()), "and the mark that stops a second hop");
    }

    private void listingsMergeThePeersRuns(String remote) {
        given().header("Authorization", BEARER)
                .get("/api/v1/runs?dag=forwarded&limit=1000")
                .then()
                .statusCode(200)
                .body("runs.run_id", hasItem(remote));
    }

    private void aForwardedReadThatMeetsAnotherNonOwnerIs503InsteadOfASecondHop(String remote) {
        given().header("Authorization", BEARER)
                .header(WireHeaders.FORWARDED, "1")
                .get("/api/v1/runs/" + remote)
                .then()
                .statusCode(503)
                .header("Retry-After", "1")
                .body("detail", containsString("ownership is moving"));
    }

    /** Last: it stops the peer's HTTP server while its engine still owns its partitions. */
    private void anOwnerThatDoesNotAnswerIs502ThatNamesIt(String remote) {
        int port = peer.getAddress().getPort();
        peer.stop(0);
        given().header("Authorization", BEARER)
                .get("/api/v1/runs/" + remote)
                .then()
                .statusCode(502)
                .body("title", equalTo("Owner unreachable"))
                .body("detail", containsString("127.0.0.1:" + port));
    }

    /** Submits through the in-process API until a run lands on a partition the peer owns. */
    private String runOwnedByPeer() {
        for (int i = 0; i < 40; i++) {
            String runId = RunApiTest.submit(ONE_TASK);
            if (await().atMost(Duration.ofSeconds(10))
                            .until(
                                    () -> peerEngine.queries().lookup(runId),
                                    lookup -> !(lookup instanceof RunLookup.Unavailable))
                    instanceof RunLookup.Found) {
                forwardedHeaders.clear();
                return runId;
            }
        }
        throw new AssertionError("no run landed on the peer's partitions");
    }

    /** The peer's API: a run from its own stores, or its share of a listing. */
    private void answer(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        Map<String, String> headers = new ConcurrentHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), values.get(0)));
        forwardedHeaders.put(path, headers);
        int status;
        String body;
        if (path.equals("/api/v1/runs")) {
            status = 200;
            List<RunSummary> runs =
                    peerEngine.listing().local(new RunIndex.RunFilter(null, null, null, null, null, null), 1000);
            body = Events.toJsonText(new RunPage(runs, runs.size(), 1000, 0, null));
        } else if (peerEngine.queries().lookup(path.substring(path.lastIndexOf('/') + 1))
                instanceof RunLookup.Found<RunReport> found) {
            status = 200;
            body = Events.toJsonText(found.value());
        } else {
            status = 404;
            body = "{}";
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }
}
