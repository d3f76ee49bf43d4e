package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.coordinator.telemetry.RunTracer;
import io.dagctl.coordinator.telemetry.TraceContext;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.event.TaskStarted;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.model.TaskStatus;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Metrics and traces of the state machine's transitions, through the real topology. */
class RunTelemetryTopologyTest extends TopologyTestBase {

    @Test
    void gaugesFollowTheWorkAndCountersCountTransitions() throws Exception {
        submit("g1", RunStateMachineTopologyTest.DIAMOND);
        assertEquals(1, ownedWork.activeRuns());
        assertEquals(1, ownedWork.tasks(TaskStatus.QUEUED));
        assertEquals(3, ownedWork.tasks(TaskStatus.PENDING));
        TaskDispatched a = dispatched().get(0);
        advance(Duration.ofMillis(40));
        report("g1", TaskStarted.of(a.attemptId(), "w1", clock.instant()));
        assertEquals(0, ownedWork.tasks(TaskStatus.QUEUED));
        assertEquals(1, ownedWork.tasks(TaskStatus.RUNNING));
        var latency = registry.find("dagctl.dispatch.latency").timer();
        assertEquals(1, latency.count());
        assertEquals(40.0, latency.totalTime(TimeUnit.MILLISECONDS), 0.001);
        succeed(a);
        List<TaskDispatched> middle = dispatched();
        assertEquals(2, ownedWork.tasks(TaskStatus.QUEUED));
        succeed(middle.get(0));
        fail(middle.get(1));
        assertEquals(0, ownedWork.activeRuns());
        for (TaskStatus status : TaskStatus.values()) {
            if (!status.isTerminal()) {
                assertEquals(0, ownedWork.tasks(status), status + " after the run ended");
            }
        }
        assertEquals(3, count("dagctl.tasks.dispatched"));
        assertEquals(2, count("dagctl.tasks.finished", "status", "success"));
        assertEquals(1, count("dagctl.tasks.finished", "status", "failed"));
        assertEquals(1, count("dagctl.tasks.finished", "status", "upstream_failed"));
        assertEquals(1, count("dagctl.task.attempts", "outcome", "failed"));
        assertEquals(1, count("dagctl.runs.finished", "status", "failed"));
        assertEquals(
                3,
                registry.find("dagctl.task.duration")
                        .tag("dag", "diamond")
                        .timer()
                        .count());
    }

    @Test
    void oneTracePerRunWithAnAttemptSpanUnderTheRunSpanAndTheDispatchCarriesIt() throws Exception {
        submit("t1", RunStateMachineTopologyTest.DIAMOND);
        TestRecord<String, byte[]> record = dispatch.readRecord();
        TaskDispatched a = Events.fromJson(record.value(), TaskDispatched.class);
        String header =
                new String(record.headers().lastHeader(WireHeaders.TRACEPARENT).value(), StandardCharsets.US_ASCII);
        assertEquals(a.traceparent(), header, "the record header and the event carry the same context");
        TraceContext attemptContext = TraceContext.parse(header);
        assertNotNull(attemptContext);
        assertTrue(attemptContext.sampled());
        succeed(a);
        List<TaskDispatched> middle = dispatched();
        succeed(middle.get(0));
        fail(middle.get(1));

        List<SpanData> finished = spans.getFinishedSpanItems();
        Map<String, SpanData> byName =
                finished.stream().collect(Collectors.toMap(SpanData::getName, Function.identity()));
        SpanData root = byName.get("run diamond");
        assertNotNull(root, "the run's root span, built when the run ended: " + byName.keySet());
        assertEquals(SpanId.getInvalid(), root.getParentSpanId());
        assertEquals(StatusCode.ERROR, root.getStatus().getStatusCode());
        assertEquals(4, finished.size(), "the run and its three attempts: " + byName.keySet());
        for (SpanData span : finished) {
            assertEquals(attemptContext.traceId(), span.getTraceId(), span.getName());
        }
        SpanData taskA = byName.get("task a");
        assertEquals(attemptContext.spanId(), taskA.getSpanId(), "the worker's parent is the attempt span");
        assertEquals(root.getSpanId(), taskA.getParentSpanId());
        assertEquals("t1", taskA.getAttributes().get(RunTracer.RUN_ID));
        assertEquals(1L, taskA.getAttributes().get(RunTracer.ATTEMPT));
        assertEquals("w1", taskA.getAttributes().get(RunTracer.WORKER));
        assertEquals(0L, taskA.getAttributes().get(RunTracer.EXIT_CODE));
        SpanData taskC = byName.get("task c");
        assertEquals(StatusCode.ERROR, taskC.getStatus().getStatusCode());
        assertEquals(1L, taskC.getAttributes().get(RunTracer.EXIT_CODE));
        assertTrue(taskC.getEvents().stream().anyMatch(e -> e.getName().equals("exception")));
    }

    @Test
    void aRetriedRunStaysInItsTraceUnderItsFirstRound() throws Exception {
        submit("t2", "name: once\ntasks:\n  - {name: t, command: 'false'}\n");
        fail(dispatched().get(0));
        String firstRoot = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("run once"))
                .findFirst()
                .orElseThrow()
                .getSpanId();
        commands.pipeInput("t2", Events.toJson(TaskRetryRequested.of("t2", clock.instant())));
        succeed(dispatched().get(0));
        SpanData retry = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("retry of run once"))
                .findFirst()
                .orElseThrow();
        assertEquals(firstRoot, retry.getParentSpanId());
        SpanData secondAttempt = spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("task t")
                        && Long.valueOf(2).equals(s.getAttributes().get(RunTracer.ATTEMPT)))
                .findFirst()
                .orElseThrow();
        assertEquals(retry.getSpanId(), secondAttempt.getParentSpanId());
        assertEquals(
                1,
                spans.getFinishedSpanItems().stream()
                        .map(SpanData::getTraceId)
                        .distinct()
                        .count());
    }
}
