package io.dagctl.worker.telemetry;

import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.event.WireHeaders;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The span of a task's process on this worker: a child of the attempt span whose context came with the dispatch
 * record (its {@code traceparent} header), so coordinator, Kafka and worker are one trace.
 */
public final class AttemptTracer {

    private static final TextMapGetter<String> TRACEPARENT_ONLY = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String traceparent) {
            return List.of(WireHeaders.TRACEPARENT);
        }

        @Override
        public String get(String traceparent, String key) {
            return WireHeaders.TRACEPARENT.equals(key) ? traceparent : null;
        }
    };

    private final Tracer tracer;
    private final String workerId;

    public AttemptTracer(OpenTelemetry openTelemetry, String workerId) {
        this.tracer = openTelemetry.getTracer("io.dagctl.worker");
        this.workerId = workerId;
    }

    /** Starts the execution span; an invalid (non-recording) span when the dispatch carried no context. */
    public Span start(TaskDispatched task, String traceparent, Instant at) {
        if (traceparent == null) {
            return Span.getInvalid();
        }
        Context parent = W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, TRACEPARENT_ONLY);
        return tracer.spanBuilder("execute " + task.task())
                .setParent(parent)
                .setSpanKind(SpanKind.CONSUMER)
                .setStartTimestamp(at)
                .setAttribute("dagctl.run_id", task.runId())
                .setAttribute("dagctl.task", task.task())
                .setAttribute("dagctl.attempt", (long) task.attempt())
                .setAttribute("dagctl.worker_id", workerId)
                .setAttribute("dagctl.task_type", task.type())
                .startSpan();
    }

    public void end(Span span, TaskFinished result) {
        span.setAttribute("dagctl.outcome", result.outcome().name().toLowerCase(Locale.ROOT));
        if (result.exitCode() >= 0) {
            span.setAttribute(AttributeKey.longKey("process.exit.code"), (long) result.exitCode());
        }
        if (result.outcome() != Outcome.SUCCEEDED) {
            String reason = result.error() != null ? result.error() : "exit code " + result.exitCode();
            span.setStatus(StatusCode.ERROR, reason);
            span.addEvent(
                    "exception",
                    Attributes.of(
                            AttributeKey.stringKey("exception.type"),
                            "dagctl.Task" + result.outcome(),
                            AttributeKey.stringKey("exception.message"),
                            reason));
        }
        span.end(result.endedAt() != null ? result.endedAt() : Instant.now());
    }
}
