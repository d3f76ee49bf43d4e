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
    private volatile long lastHeardNanos = System.nanoTime();

    RunEventStream(ApiTransport transport, String runId) {
        // the request's timeout bounds the wait for the answer's headers, not the stream that follows
        HttpRequest request = transport
                .request("/api/v1/runs/" + ApiTransport.encode(runId) + "/events")
                .header("Accept", "text/event-stream")
                .GET()
                .build();
        reader = new Thread(() -> read(transport, request), "run-events-" + runId);
        reader.setDaemon(true);
        reader.start();
    }

    /** How long nothing came from the server, not even a keep-alive (it sends one every 10 s). */
    public Duration silentFor() {
        return Duration.ofNanos(System.nanoTime() - lastHeardNanos);
    }

    /** The next item, or null when none came within {@code wait}. */
    public Item next(Duration wait) throws InterruptedException {
        return items.poll(wait.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** Reads the stream to its end; whatever ends it, an {@link Ended} follows the events unless it was closed. */
    private void read(ApiTransport transport, HttpRequest request) {
        Ended end = new Ended(-1, "the stream's reader was interrupted");
        try {
            end = readAll(transport, request);
        } catch (IOException | RuntimeException e) {
            end = new Ended(-1, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (!closed) {
                items.add(end);
            }
        }
    }

    private Ended readAll(ApiTransport transport, HttpRequest request) throws IOException, InterruptedException {
        HttpResponse<InputStream> response = transport.http().send(request, HttpResponse.BodyHandlers.ofInputStream());
        body = response.body();
        lastHeardNanos = System.nanoTime();
        if (closed) {
            body.close();
            return new Ended(-1, "closed");
        }
        if (response.statusCode() != 200) {
            return new Ended(response.statusCode(), new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
        readEvents(new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8)));
        return new Ended(200, "");
    }

    /** Server-Sent Events framing: {@code data:} lines up to a blank line make one event; comments start with ':'. */
    private void readEvents(BufferedReader lines) throws IOException {
        StringBuilder data = new StringBuilder();
        String line;
        while ((line = lines.readLine()) != null) {
            lastHeardNanos = System.nanoTime();
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
