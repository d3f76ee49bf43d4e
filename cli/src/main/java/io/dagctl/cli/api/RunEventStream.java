package io.dagctl.cli.api;

import io.dagctl.core.event.RunEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A run's state changes as the coordinator pushes them: the Server-Sent Events of {@code /api/v1/runs/{id}/events},
 * read on a thread of their own and handed over one by one. The stream replays the run from its start, then follows
 * it; it ends after the run's end, or earlier when the server or the connection goes away.
 */
public final class RunEventStream implements AutoCloseable {

    /** What the reading thread hands over: an event, or the end of the stream. */
    public sealed interface Item permits Event, Ended {}

    public record Event(RunEvent event) implements Item {}

    /**
     * The stream ended: {@code status} 200 when the server closed it, another HTTP status when it refused it (with the
     * answer's body), or -1 when the connection failed (with why).
     */
    public record Ended(int status, String detail) implements Item {}

    private final BlockingQueue<Item> items = new LinkedBlockingQueue<>();
    private final Thread reader;
    private volatile InputStream body;
    private volatile boolean closed;

    RunEventStream(ApiTransport transport, String runId) {
        HttpRequest request = transport
                .request("/api/v1/runs/" + ApiTransport.encode(runId) + "/events")
                .timeout(Duration.ofDays(1))
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        reader = new Thread(() -> read(transport, request), "run-events-" + runId);
        reader.setDaemon(true);
        reader.start();
    }

    /** The next item, or null when none came within {@code wait}. */
    public Item next(Duration wait) throws InterruptedException {
        return items.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    private void read(ApiTransport transport, HttpRequest request) {
        try {
            HttpResponse<InputStream> response =
                    transport.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
            body = response.body();
            if (closed) {
                body.close();
                return;
            }
            if (response.statusCode() != 200) {
                items.add(new Ended(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8)));
                return;
            }
            readEvents(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)));
            items.add(new Ended(200, ""));
        } catch (IOException e) {
            if (!closed) {
                items.add(new Ended(-1, e.getClass().getSimpleName() + ": " + e.getMessage()));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Server-Sent Events framing: {@code data:} lines up to a blank line make one event; comments start with ':'. */
    private void readEvents(BufferedReader lines) throws IOException {
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            if (line.isEmpty()) {
                if (data.length() > 0) {
                    handOver(data.toString());
                    data.setLength(0);
                }
            } else if (line.startsWith("data:")) {
                if (data.length() > 0) {
                    data.append('\n');
                }
                data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
            }
        }
    }

    private void handOver(String json) {
        try {
            items.add(new Event(ApiTransport.parse(json, RunEvent.class)));
        } catch (ApiException e) {
            // an event this CLI cannot read (a newer server's): progress skips it, the final report still has it
        }
    }

    @Override
    public void close() {
        closed = true;
        InputStream open = body;
        if (open != null) {
            try {
                open.close();
            } catch (IOException e) {
                // closing what is being torn down anyway
            }
        }
        reader.interrupt();
    }
}
