package io.dagctl.coordinator.telemetry;

import io.dagctl.coordinator.engine.RunEntry;
import io.dagctl.coordinator.engine.RunObserver;
import io.dagctl.coordinator.engine.TaskEntry;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.RunStatus;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.time.Instant;
import java.util.Locale;
import java.util.random.RandomGenerator;

/**
 * One trace per run: a root span per round of the run (its first start, then each retry of the finished run as a
 * child of the first) and a span per task attempt from its dispatch to its end, whose context the dispatch record
 * carries to the worker. Spans are built when what they cover has ended, from the run's stored trace context, so a
 * run that moves to another coordinator instance stays one trace.
 */
public final class RunTracer implements RunObserver {

    public static final AttributeKey<String> RUN_ID = AttributeKey.stringKey("dagctl.run_id");
    public static final AttributeKey<String> DAG = AttributeKey.stringKey("dagctl.dag");
    public static final AttributeKey<String> TASK = AttributeKey.stringKey("dagctl.task");
    public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("dagctl.attempt");
    public static final AttributeKey<String> WORKER = AttributeKey.stringKey("dagctl.worker_id");
    public static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("dagctl.outcome");
    public static final AttributeKey<Long> EXIT_CODE = AttributeKey.longKey("process.exit.code");

    private final Tracer tracer;
    private final PresetIdGenerator ids;
    private final RandomGenerator random;

    public RunTracer(OpenTelemetry openTelemetry, PresetIdGenerator ids, RandomGenerator random) {
        this.tracer = openTelemetry.getTracer("io.dagctl.coordinator");
        this.ids = ids;
        this.random = random;
    }

    @Override
    public String newRunTraceparent(String runId, String dag) {
        TraceContext unsampled = TraceContext.newRun(runId, random, false);
        // Ask the configured sampler about this trace now, so that every span of the run follows one decision. The
        // trial span is never ended, so it is never exported; the run's root span is built again when the run ends.
        Span trial = ids.withIds(
                unsampled.traceId(),
                unsampled.spanId(),
                () -> tracer.spanBuilder("run " + dag).setNoParent().startSpan());
        return new TraceContext(
                        unsampled.traceId(),
                        unsampled.spanId(),
                        trial.getSpanContext().isSampled())
                .toTraceparent();
    }

    @Override
    public String attemptTraceparent(RunEntry run, AttemptId attempt) {
        TraceContext trace = TraceContext.parse(run.traceparent());
        return trace == null ? null : trace.attempt(attempt.toString()).toTraceparent();
    }

    @Override
    public void runEnded(RunEntry run) {
        TraceContext trace = TraceContext.parse(run.traceparent());
        if (trace == null || !trace.sampled() || run.roundStartedAt() == null) {
            return; // a run cancelled while it waited QUEUED never ran: no span
        }
        TraceContext round = trace.round(run.runId(), run.rounds());
        SpanBuilder builder = tracer.spanBuilder(run.rounds() == 1 ? "run " + run.dag() : "retry of run " + run.dag())
                .setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(run.roundStartedAt())
                .setAttribute(RUN_ID, run.runId())
                .setAttribute(DAG, run.dag())
                .setAttribute("dagctl.run.round", run.rounds())
                .setAttribute("dagctl.run.tasks", run.taskCount())
                .setAttribute("dagctl.run.failed_tasks", run.failedTasks())
                .setAttribute("dagctl.run.status", run.status().name());
        if (run.rounds() == 1) {
            builder.setNoParent();
        } else {
            builder.setParent(parent(trace.round(run.runId(), 1)));
        }
        Span span = ids.withIds(round.traceId(), round.spanId(), builder::startSpan);
        if (run.status() == RunStatus.FAILED) {
            span.setStatus(StatusCode.ERROR, run.failedTasks() + " task(s) failed");
        }
        span.end(run.endedAt());
    }

    @Override
    public void attemptEnded(RunEntry run, TaskEntry task, AttemptEnd end, Instant at) {
        TraceContext trace = TraceContext.parse(run.traceparent());
        if (trace == null || !trace.sampled()) {
            return;
        }
        TraceContext attempt = trace.attempt(new AttemptId(run.runId(), task.name(), task.attempt()).toString());
        SpanBuilder builder = tracer.spanBuilder("task " + task.name())
                .setSpanKind(SpanKind.INTERNAL)
                .setParent(parent(trace.round(run.runId(), run.rounds())))
                .setStartTimestamp(
                        task.current().queuedAt() != null ? task.current().queuedAt() : at)
                .setAttribute(RUN_ID, run.runId())
                .setAttribute(DAG, run.dag())
                .setAttribute(TASK, task.name())
                .setAttribute(ATTEMPT, (long) task.attempt())
                .setAttribute(OUTCOME, end.name().toLowerCase(Locale.ROOT));
        if (task.current().workerId() != null) {
            builder.setAttribute(WORKER, task.current().workerId());
        }
        if (task.current().exitCode() != null) {
            builder.setAttribute(EXIT_CODE, (long) task.current().exitCode());
        }
        Span span = ids.withIds(attempt.traceId(), attempt.spanId(), builder::startSpan);
        span.addEvent(
                "queued", task.current().queuedAt() != null ? task.current().queuedAt() : at);
        if (task.current().startedAt() != null) {
            span.addEvent(
                    "started",
                    task.current().workerId() == null
                            ? Attributes.empty()
                            : Attributes.of(WORKER, task.current().workerId()),
                    task.current().startedAt());
        }
        if (end.isFailure()) {
            String reason = task.current().error() != null ? task.current().error() : "attempt ended " + end.name();
            span.addEvent(
                    "exception",
                    Attributes.of(
                            AttributeKey.stringKey("exception.type"),
                            "dagctl.Attempt" + end,
                            AttributeKey.stringKey("exception.message"),
                            reason),
                    at);
            span.setStatus(StatusCode.ERROR, reason);
        }
        span.end(at);
    }

    private static Context parent(TraceContext trace) {
        return Context.root()
                .with(Span.wrap(SpanContext.createFromRemoteParent(
                        trace.traceId(),
                        trace.spanId(),
                        trace.sampled() ? TraceFlags.getSampled() : TraceFlags.getDefault(),
                        TraceState.getDefault())));
    }
}
