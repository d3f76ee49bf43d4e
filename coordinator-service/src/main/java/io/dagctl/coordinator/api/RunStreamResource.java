package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorSettings;
import io.dagctl.coordinator.app.EngineConfigs;
import io.dagctl.coordinator.query.KeyedTopicReader;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.LogChunk;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.event.Topics;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.report.AttemptReport;
import io.dagctl.core.report.RunSummary;
import io.dagctl.core.report.TaskReport;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** What a run does as it happens: its state changes as Server-Sent Events, and a task's output. Read from Kafka. */
@Path("/api/v1/runs/{runId}")
public class RunStreamResource {

    private static final Duration LOOK_BEFORE = Duration.ofSeconds(5);
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(10);

    private final RunReader reader;
    private final KeyedTopicReader topicReader;
    private final Topics topics;

    public RunStreamResource(RunReader reader, CoordinatorSettings settings) {
        this.reader = reader;
        this.topicReader = new KeyedTopicReader(EngineConfigs.clientProperties(settings));
        this.topics = new Topics(settings.topics().prefix());
    }

    @GET
    @Path("events")
    @Operation(summary = "Every state change of the run as Server-Sent Events, from its start; ends when the run ends")
    public Response events(
            @PathParam("runId") String runId, @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        Instant since = summary(runId, authorization).submittedAt().minus(LOOK_BEFORE);
        StreamingOutput stream = out -> {
            long[] lastWrite = {System.nanoTime()};
            SettledCheck settled = new SettledCheck(
                    () -> summary(runId, authorization).status().isTerminal());
            topicReader.read(
                    topics.events(),
                    runId,
                    since,
                    true,
                    caughtUp -> keepAlive(out, lastWrite) && !settled.isSettled(caughtUp),
                    record -> {
                        RunEvent event;
                        try {
                            event = Events.fromJson(record.value(), RunEvent.class);
                        } catch (MalformedEventException e) {
                            return true;
                        }
                        write(
                                out,
                                "id: " + record.offset() + "\nevent: " + (event.task() == null ? "run" : "task")
                                        + "\ndata: " + Events.toJsonText(event) + "\n\n");
                        lastWrite[0] = System.nanoTime();
                        return !event.isRunEnd();
                    });
        };
        return Response.ok(stream, "text/event-stream")
                .header("Cache-Control", "no-cache")
                .header("X-Accel-Buffering", "no")
                .build();
    }

    @GET
    @Path("tasks/{task}/logs")
    @Operation(summary = "A task attempt's output (default: the latest attempt); follow=true streams it while it runs")
    public Response logs(
            @PathParam("runId") String runId,
            @PathParam("task") String taskName,
            @QueryParam("attempt") Integer attempt,
            @QueryParam("follow") @DefaultValue("false") boolean follow,
            @QueryParam("stream") String streamFilter,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        TaskReport task = reader.task(runId, taskName, authorization, false);
        if (task == null) {
            return Problems.of(
                    Response.Status.NOT_FOUND, "Task not found", "run '" + runId + "' has no task '" + taskName + "'");
        }
        int wanted = attempt != null ? attempt : task.attempts();
        if (wanted < 1 || wanted > Math.max(task.attempts(), 1) || task.attempts() == 0) {
            return Problems.of(
                    Response.Status.NOT_FOUND,
                    "No such attempt",
                    "task '" + taskName + "' has "
                            + (task.attempts() == 0 ? "not run yet" : task.attempts() + " attempt(s)") + "; asked for "
                            + wanted);
        }
        if (streamFilter != null && !streamFilter.equals("stdout") && !streamFilter.equals("stderr")) {
            return Problems.of(Response.Status.BAD_REQUEST, "Invalid stream", "stream must be stdout or stderr");
        }
        String attemptId = new AttemptId(runId, taskName, wanted).toString();
        Instant since = attemptStart(runId, task, wanted, authorization).minus(LOOK_BEFORE);
        StreamingOutput stream = out -> {
            long[] lastWrite = {System.nanoTime()};
            SettledCheck settled = new SettledCheck(() -> attemptEnded(runId, taskName, wanted, authorization));
            topicReader.read(
                    topics.logs(), attemptId, since, follow, caughtUp -> !settled.isSettled(caughtUp), record -> {
                        LogChunk chunk;
                        try {
                            chunk = Events.fromJson(record.value(), LogChunk.class);
                        } catch (MalformedEventException e) {
                            return true;
                        }
                        if (streamFilter == null || streamFilter.equals(chunk.stream())) {
                            write(out, chunk.data());
                            lastWrite[0] = System.nanoTime();
                        }
                        return !chunk.end();
                    });
        };
        return Response.ok(stream, "text/plain; charset=utf-8")
                .header(WireHeaders.ATTEMPT, attemptId)
                .build();
    }

    private boolean attemptEnded(String runId, String taskName, int attempt, String authorization) {
        TaskReport now = reader.task(runId, taskName, authorization, false);
        return now == null || now.attempts() > attempt || now.status().isTerminal();
    }

    private RunSummary summary(String runId, String authorization) {
        return reader.read(runId, "/summary", RunSummary.class, q -> q.summary(runId), authorization, false);
    }

    /** Where to start reading an attempt's output: its own start or queue time when kept, else the run's start. */
    private Instant attemptStart(String runId, TaskReport task, int attempt, String authorization) {
        if (attempt == task.attempts() && task.startedAt() != null) {
            return task.startedAt();
        }
        for (AttemptReport past : task.pastAttempts()) {
            if (past.attempt() == attempt && past.queuedAt() != null) {
                return past.queuedAt();
            }
        }
        RunSummary run = summary(runId, authorization);
        return run.startedAt() != null ? run.startedAt() : run.submittedAt();
    }

    /**
     * Ends a follow that can expect nothing more: the run (or attempt) has ended, the reader has caught up, and a
     * second has passed for output still on its way. Covers what never sends an end marker (a cancelled attempt that
     * never started, events older than the topic's retention).
     */
    private static final class SettledCheck {
        private static final long CHECK_EVERY_NANOS = Duration.ofSeconds(1).toNanos();
        private final BooleanSupplier ended;
        private long nextCheck = System.nanoTime() + CHECK_EVERY_NANOS;
        private long endedSince = -1;

        SettledCheck(BooleanSupplier ended) {
            this.ended = ended;
        }

        boolean isSettled(boolean caughtUp) {
            long now = System.nanoTime();
            if (now >= nextCheck) {
                nextCheck = now + CHECK_EVERY_NANOS;
                if (endedSince < 0 && endedNow()) {
                    endedSince = now;
                }
            }
            return caughtUp && endedSince >= 0 && now - endedSince > CHECK_EVERY_NANOS;
        }

        private boolean endedNow() {
            try {
                return ended.getAsBoolean();
            } catch (RuntimeException e) {
                return false; // the owner is moving or unreachable: keep following, ask again in a second
            }
        }
    }

    /** Writes an SSE comment now and then, which also notices a client that went away. */
    private static boolean keepAlive(OutputStream out, long[] lastWrite) {
        if (System.nanoTime() - lastWrite[0] > KEEP_ALIVE.toNanos()) {
            try {
                write(out, ": keep-alive\n\n");
            } catch (UncheckedIOException e) {
                return false;
            }
            lastWrite[0] = System.nanoTime();
        }
        return true;
    }

    private static void write(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("the client went away", e);
        }
    }
}
