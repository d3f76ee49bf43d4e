package io.dagctl.worker.consume;

import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.telemetry.TaskLogContext;
import io.dagctl.worker.exec.OutputSink;
import io.dagctl.worker.exec.TaskExecutor;
import io.dagctl.worker.report.LogStreamer;
import io.dagctl.worker.report.ResultReporter;
import io.dagctl.worker.report.StartReport;
import io.dagctl.worker.telemetry.AttemptTracer;
import io.dagctl.worker.telemetry.WorkerMetrics;
import io.opentelemetry.api.trace.Span;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Runs one attempt on the calling thread and reports it: start, output, result, metrics, the execution span and the
 * log lines, all with the attempt's ids in the logging context. Tells the poll loop when the slot is free and when
 * the result is safely in Kafka.
 */
public final class AttemptRunner implements AttemptLauncher {

    private static final System.Logger LOG = System.getLogger(AttemptRunner.class.getName());

    private final TaskExecutor executor;
    private final ResultReporter reporter;
    private final LogStreamer logs;
    private final WorkerMetrics metrics;
    private final AttemptTracer tracer;
    private final String workerId;
    private final Duration startReportDelay;
    private final Clock clock;

    public AttemptRunner(
            TaskExecutor executor,
            ResultReporter reporter,
            LogStreamer logs,
            WorkerMetrics metrics,
            AttemptTracer tracer,
            String workerId,
            Duration startReportDelay,
            Clock clock) {
        this.executor = executor;
        this.reporter = reporter;
        this.logs = logs;
        this.metrics = metrics;
        this.tracer = tracer;
        this.workerId = workerId;
        this.startReportDelay = startReportDelay;
        this.clock = clock;
    }

    /** The dispatch's trace context: the record's {@code traceparent} header, else the event's field. */
    static String traceparentOf(ConsumerRecord<String, byte[]> record, TaskDispatched task) {
        var header = record.headers().lastHeader(WireHeaders.TRACEPARENT);
        return header != null && header.value() != null
                ? new String(header.value(), StandardCharsets.US_ASCII)
                : task.traceparent();
    }

    static TaskLogContext logContext(TaskDispatched task, String workerId, String traceparent) {
        return TaskLogContext.of(new AttemptId(task.runId(), task.task(), task.attempt()), workerId, traceparent);
    }

    /**
     * A noop task is done as soon as it is taken: one result, no process, no thread hand-off, no output record. The
     * coordinator accepts a result straight from QUEUED, so no TaskStarted is sent either.
     */
    @Override
    public void runNoop(TaskDispatched task, String traceparent, Runnable covered) {
        Instant now = clock.instant();
        TaskFinished done = TaskFinished.of(task.attemptId(), workerId, 0, Outcome.SUCCEEDED, "", "", now, now, null);
        metrics.started(task, now, null);
        metrics.finished(done);
        tracer.end(tracer.start(task, traceparent, now), done);
        reporter.finished(task.runId(), done).whenComplete((ok, error) -> coveredIfStored(error, covered));
    }

    /**
     * Runs a command task in a slot free since {@code slotFreeSince}. The attempt is covered as soon as its start is
     * in Kafka (the coordinator's lease watches it from then on), else once its result is. The start is reported once
     * the attempt has run for the start-report delay: one that ends sooner is reported by its result alone.
     */
    @Override
    public void run(
            TaskDispatched task, String traceparent, Instant slotFreeSince, Runnable slotFree, Runnable covered) {
        Runnable once = new Once(covered);
        try (TaskLogContext ignored = logContext(task, workerId, traceparent)) {
            Optional<TaskFinished> result;
            Span[] span = {Span.getInvalid()};
            StartReport[] start = {null};
            try {
                LogStreamer.AttemptLog log = logs.open(task.attemptId());
                result = executor.run(
                        task,
                        startedAt -> {
                            start[0] = reporter.started(task.runId(), task.attemptId(), startedAt, startReportDelay);
                            start[0].stored().whenComplete((ok, error) -> coveredIfStored(error, once));
                            metrics.started(task, startedAt, slotFreeSince);
                            span[0] = tracer.start(task, traceparent, startedAt);
                            LOG.log(System.Logger.Level.DEBUG, "started {0}", task.attemptId());
                        },
                        new OutputSink() {
                            @Override
                            public void write(String stream, byte[] data, int length) {
                                log.write(stream, data, length);
                            }

                            @Override
                            public void end() {
                                log.end();
                            }
                        });
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "attempt " + task.attemptId() + " failed inside the worker", e);
                result = Optional.of(TaskFinished.of(
                        task.attemptId(),
                        workerId,
                        -1,
                        Outcome.NOT_STARTED,
                        "",
                        "",
                        clock.instant(),
                        clock.instant(),
                        "worker error: " + e));
            }
            if (start[0] != null) {
                start[0].withdraw();
            }
            TaskFinished finished = result.orElseGet(() -> released(task));
            metrics.finished(finished);
            tracer.end(span[0], finished);
            LOG.log(
                    finished.outcome() == Outcome.SUCCEEDED ? System.Logger.Level.DEBUG : System.Logger.Level.INFO,
                    "{0} ended {1}, exit code {2}{3}",
                    task.attemptId(),
                    finished.outcome(),
                    finished.exitCode(),
                    finished.error() == null ? "" : ": " + finished.error());
            slotFree.run();
            reporter.finished(task.runId(), finished).whenComplete((ok, error) -> coveredIfStored(error, once));
        }
    }

    /** The worker stopped the attempt because it shuts down: the coordinator runs it again elsewhere at once. */
    private TaskFinished released(TaskDispatched task) {
        Instant now = clock.instant();
        return TaskFinished.of(
                task.attemptId(),
                workerId,
                -1,
                Outcome.RELEASED,
                "",
                "",
                now,
                now,
                "worker " + workerId + " shut down and stopped the attempt after its drain grace");
    }

    /** A report that did not reach Kafka covers nothing: the record stays uncommitted and is taken again. */
    private static void coveredIfStored(Throwable error, Runnable covered) {
        if (error == null) {
            covered.run();
        }
    }

    /** Runs its action the first time only: a start and a result can both cover an attempt. */
    private static final class Once implements Runnable {
        private final Runnable action;
        private final AtomicBoolean done = new AtomicBoolean();

        Once(Runnable action) {
            this.action = action;
        }

        @Override
        public void run() {
            if (done.compareAndSet(false, true)) {
                action.run();
            }
        }
    }
}
