package io.dagctl.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.dagctl.cli.api.ApiException;
import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunReport;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How {@code --wait} follows a run over real HTTP, against a stand-in for the coordinator's two endpoints (the events
 * stream and the report): the run's end is pushed, and the report is read only when a stream ends.
 */
class RunWatcherTest {

    private static final String RUN = "20261207-000000-abc";

    private HttpServer server;
    private final AtomicInteger eventRequests = new AtomicInteger();
    private final AtomicInteger reportRequests = new AtomicInteger();
    private final StringWriter errors = new StringWriter();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private CoordinatorClient client() {
        return new CoordinatorClient("http://127.0.0.1:" + server.getAddress().getPort(), "token");
    }

    @Test
    void theRunsEndIsPushedAndTheReportIsReadOnceTheStreamsThatEndedEarlyAside() throws Exception {
        CountDownLatch taskEnded = new CountDownLatch(1);
        server.createContext("/api/v1/runs/" + RUN + "/events", exchange -> {
            switch (eventRequests.incrementAndGet()) {
                // the owner does not know the run yet, then the connection drops mid-run, then the run goes on
                case 1 -> answer(exchange, 404, "{\"title\":\"Run not found\"}");
                case 2 -> stream(exchange, List.of(task("a", "RUNNING")), false);
                default -> {
                    stream(exchange, List.of(task("a", "RUNNING"), task("a", "SUCCESS")), true);
                    taskEnded.countDown();
                    stream(exchange, List.of(RunEvent.ofRun(RUN, Instant.now(), "SUCCESS")), false);
                }
            }
        });
        server.createContext("/api/v1/runs/" + RUN, exchange -> {
            reportRequests.incrementAndGet();
            answer(
                    exchange,
                    taskEnded.getCount() == 0 ? 200 : 404,
                    taskEnded.getCount() == 0 ? Events.toJsonText(report(RunStatus.SUCCESS)) : "{}");
        });

        RunReport report = RunWatcher.follow(client(), RUN, 1, new PrintWriter(errors), () -> null);

        assertEquals(RunStatus.SUCCESS, report.status());
        assertEquals(3, eventRequests.get(), "one stream refused, one cut, one to the end");
        assertEquals(3, reportRequests.get(), "after each stream that ended early, and once at the end");
    }

    @Test
    void aRefusedTokenStopsFollowingWithTheServersReason() {
        server.createContext("/api/v1/runs/" + RUN + "/events", exchange -> {
            eventRequests.incrementAndGet();
            answer(exchange, 401, "{\"title\":\"Unauthorized\",\"detail\":\"unknown token\"}");
        });

        ApiException refused = assertThrows(
                ApiException.class, () -> RunWatcher.follow(client(), RUN, 1, new PrintWriter(errors), () -> null));

        assertTrue(refused.getMessage().contains("unknown token"), refused.getMessage());
        assertEquals(1, eventRequests.get());
    }

    @Test
    void troubleNoticedWhileTheStreamIsQuietEndsTheFollowWithItsReason() throws Exception {
        server.createContext("/api/v1/runs/" + RUN + "/events", exchange -> {
            eventRequests.incrementAndGet();
            stream(exchange, List.of(task("a", "RUNNING")), true);
            sleepQuietly(5_000); // then nothing for a while: the run is long
        });
        AtomicInteger asked = new AtomicInteger();

        RunReport report = RunWatcher.follow(
                client(),
                RUN,
                1,
                new PrintWriter(errors, true),
                () -> asked.incrementAndGet() < 3 ? null : "worker 1 died");

        assertNull(report);
        assertTrue(errors.toString().contains("dagctl: worker 1 died"), errors.toString());
        assertEquals(0, reportRequests.get(), "a stream that is open needs no report");
    }

    @Test
    void aStreamThatFallsSilentIsGivenUpAndOpenedAgain() throws Exception {
        server.createContext("/api/v1/runs/" + RUN + "/events", exchange -> {
            if (eventRequests.incrementAndGet() == 1) {
                stream(exchange, List.of(task("a", "RUNNING")), true);
                sleepQuietly(20_000); // a half-open connection: no events, no keep-alives
            } else {
                stream(exchange, List.of(task("a", "SUCCESS"), RunEvent.ofRun(RUN, Instant.now(), "SUCCESS")), false);
            }
        });
        server.createContext("/api/v1/runs/" + RUN, exchange -> {
            reportRequests.incrementAndGet();
            answer(
                    exchange,
                    200,
                    Events.toJsonText(report(eventRequests.get() > 1 ? RunStatus.SUCCESS : RunStatus.RUNNING)));
        });
        long start = System.nanoTime();

        RunReport report = RunWatcher.follow(
                client(),
                RUN,
                1,
                new PrintWriter(errors),
                () -> null,
                new RunWatcher.Patience(Duration.ofSeconds(1), Duration.ofSeconds(5)));

        assertEquals(RunStatus.SUCCESS, report.status());
        assertEquals(2, eventRequests.get());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(10).toNanos(), "did not wait for the dead stream");
    }

    @Test
    void aRunThatStaysUnknownIsAnErrorThatNamesIt() {
        server.createContext("/api/v1/runs/" + RUN, exchange -> {
            if (exchange.getRequestURI().getPath().endsWith("/events")) {
                eventRequests.incrementAndGet();
            } else {
                reportRequests.incrementAndGet();
            }
            answer(exchange, 404, "{\"title\":\"Run not found\"}");
        });

        ApiException unknown = assertThrows(
                ApiException.class,
                () -> RunWatcher.follow(
                        client(),
                        RUN,
                        1,
                        new PrintWriter(errors),
                        () -> null,
                        new RunWatcher.Patience(Duration.ofSeconds(5), Duration.ofSeconds(1))));

        assertTrue(unknown.getMessage().contains("run " + RUN + " is not known"), unknown.getMessage());
        assertTrue(eventRequests.get() >= 2, "it kept asking until it gave up");
    }

    private static RunEvent task(String name, String status) {
        return RunEvent.ofTask(RUN, Instant.now(), name, 1, status, "w1", null, null);
    }

    private static RunReport report(RunStatus status) {
        Instant now = Instant.now();
        return new RunReport(
                RUN, "d", Map.of(), status, now, now, now, 0L, List.of(), null, null, null, null, null, "api", now);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** Writes events as Server-Sent Events; {@code keepOpen} leaves the response open for more (or for ever). */
    private static void stream(HttpExchange exchange, List<RunEvent> events, boolean keepOpen) throws IOException {
        if (exchange.getResponseCode() < 0) {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
        }
        OutputStream out = exchange.getResponseBody();
        for (RunEvent event : events) {
            out.write(("id: 1\nevent: " + (event.task() == null ? "run" : "task") + "\ndata: "
                            + Events.toJsonText(event) + "\n\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(": keep-alive\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        }
        if (!keepOpen) {
            out.close();
        } else {
            sleepQuietly(300);
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
