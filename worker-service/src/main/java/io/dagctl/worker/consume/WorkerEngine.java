package io.dagctl.worker.consume;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.telemetry.TaskLogContext;
import io.dagctl.worker.exec.Interpreters;
import io.dagctl.worker.exec.OutputSink;
import io.dagctl.worker.exec.TaskExecutor;
import io.dagctl.worker.report.LogStreamer;
import io.dagctl.worker.report.ResultReporter;
import io.dagctl.worker.telemetry.AttemptTracer;
import io.dagctl.worker.telemetry.WorkerMetrics;
import io.opentelemetry.api.trace.Span;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A worker: takes dispatched attempts from Kafka into a fixed number of slots and runs them. When every slot is busy
 * it pauses its partitions, so the backlog stays in Kafka as consumer lag (what an autoscaler watches) and never in
 * this process's memory. Offsets are committed only past finished work (at-least-once).
 */
public final class WorkerEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WorkerEngine.class.getName());

    private record Completion(TopicPartition partition, long offset, boolean abandoned) {
    }

    private final WorkerConfig config;
    private final TaskExecutor executor;
    private final ResultReporter reporter;
    private final LogStreamer logs;
    private final ControlListener control;
    private final KafkaConsumer<String, byte[]> consumer;
    private final ExecutorService slots;
    private final ExecutorService streamReaders;
    private final OffsetTracker offsets = new OffsetTracker();
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final AtomicInteger busy = new AtomicInteger();
    private final Thread poller;
    private final WorkerMetrics metrics;
    private final AttemptTracer tracer;
    private volatile boolean stopping;
    private volatile boolean full;

    public WorkerEngine(WorkerConfig config, Interpreters interpreters, Clock clock, WorkerMetrics metrics,
            AttemptTracer tracer) {
        this.config = config;
        this.metrics = metrics;
        this.tracer = tracer;
        this.streamReaders = Executors.newCachedThreadPool(named("task-output"));
        this.executor = new TaskExecutor(interpreters, config.execution(), streamReaders, config.workerId(), clock);
        this.reporter = new ResultReporter(config.bootstrapServers(), config.topics().results(), config.workerId(),
                config.heartbeatInterval(), clock);
        this.logs = new LogStreamer(config.bootstrapServers(), config.topics().logs(), "dagctl-worker-" + config.workerId(),
                config.logMaxBytes(), clock);
        this.control = new ControlListener(config.bootstrapServers(), config.topics().control(),
                "dagctl-worker-" + config.workerId(), executor);
        this.slots = Executors.newFixedThreadPool(config.slots(), named("slot"));
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
                ConsumerConfig.CLIENT_ID_CONFIG, "dagctl-worker-" + config.workerId(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.slots(),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(250, config.sessionTimeout().toMillis() / 6),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.poller = new Thread(this::pollLoop, "dispatch-poller");
        metrics.bindConsumer(consumer);
        reporter.instrument(metrics);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Waits until the dispatch topic exists (the coordinator creates it), then starts taking work. */
    public void start() {
        new TopicWait(config.bootstrapServers(), config.topics().dispatch()).await();
        new TopicWait(config.bootstrapServers(), config.topics().control()).await();
        control.start();
        poller.start();
    }

    public int busySlots() {
        return busy.get();
    }

    private void pollLoop() {
        consumer.subscribe(List.of(config.topics().dispatch()), new Rebalance());
        LOG.log(System.Logger.Level.INFO, "worker {0} takes work from {1} with {2} slots", config.workerId(),
                config.topics().dispatch(), config.slots());
        try {
            while (!stopping) {
                settleCompletions();
                commit();
                boolean noFreeSlot = busy.get() >= config.slots();
                full = noFreeSlot;
                if (noFreeSlot) {
                    consumer.pause(consumer.assignment());
                } else if (!consumer.paused().isEmpty()) {
                    consumer.resume(consumer.paused());
                }
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    continue;
                }
                take(records);
            }
            drain();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the dispatch poller failed; the worker stops taking work", e);
        } finally {
            consumer.close(Duration.ofSeconds(10));
        }
    }

    private void take(ConsumerRecords<String, byte[]> records) {
        Set<TopicPartition> rewound = new HashSet<>();
        for (ConsumerRecord<String, byte[]> record : records) {
            TopicPartition partition = new TopicPartition(record.topic(), record.partition());
            if (rewound.contains(partition)) {
                continue;
            }
            if (busy.get() >= config.slots()) {
                // no slot: leave this and later records of the partition in Kafka
                consumer.seek(partition, record.offset());
                rewound.add(partition);
                continue;
            }
            start(partition, record);
        }
    }

    private void start(TopicPartition partition, ConsumerRecord<String, byte[]> record) {
        TaskDispatched task;
        try {
            task = Events.fromJson(record.value() == null ? new byte[0] : record.value(), TaskDispatched.class);
            task.taskType();
        } catch (MalformedEventException | IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "unreadable dispatch record at {0}@{1}: {2}", partition, record.offset(),
                    e.getMessage());
            reporter.deadLetter(config.topics().dlq(), record.key(), record.value(), record.topic(), e.getMessage());
            metrics.deadLetter(record.topic());
            offsets.skipped(partition, record.offset());
            return;
        }
        String traceparent = traceparentOf(record, task);
        if (task.isStale(Instant.now())) {
            try (TaskLogContext ignored = logContext(task, traceparent)) {
                LOG.log(System.Logger.Level.WARNING, "skipped {0}: it had to start by {1}; the coordinator has queued a new attempt",
                        task.attemptId(), task.startBy());
            }
            metrics.skipped("stale");
            offsets.skipped(partition, record.offset());
            return;
        }
        if (control.wasCancelled(task.attemptId())) {
            try (TaskLogContext ignored = logContext(task, traceparent)) {
                LOG.log(System.Logger.Level.INFO, "skipped {0}: its run was cancelled", task.attemptId());
            }
            metrics.skipped("cancelled");
            offsets.skipped(partition, record.offset());
            return;
        }
        offsets.started(partition, record.offset());
        metrics.busySlots(busy.incrementAndGet());
        slots.execute(() -> {
            try (TaskLogContext ignored = logContext(task, traceparent)) {
                runAttempt(task, traceparent, partition, record.offset());
            }
        });
    }

    /** The dispatch's trace context: the record's {@code traceparent} header, else the event's field. */
    private static String traceparentOf(ConsumerRecord<String, byte[]> record, TaskDispatched task) {
        var header = record.headers().lastHeader("traceparent");
        return header != null && header.value() != null ? new String(header.value(), StandardCharsets.US_ASCII)
                : task.traceparent();
    }

    private TaskLogContext logContext(TaskDispatched task, String traceparent) {
        return TaskLogContext.of(new io.dagctl.core.model.AttemptId(task.runId(), task.task(), task.attempt()),
                config.workerId(), traceparent);
    }

    private void runAttempt(TaskDispatched task, String traceparent, TopicPartition partition, long offset) {
        Optional<TaskFinished> result;
        Span[] span = {Span.getInvalid()};
        try {
            LogStreamer.AttemptLog log = logs.open(task.attemptId());
            result = executor.run(task, startedAt -> {
                        reporter.started(task.runId(), task.attemptId(), startedAt);
                        metrics.started(task, startedAt);
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
            result = Optional.of(new TaskFinished(Events.SCHEMA_VERSION, task.attemptId(), config.workerId(), -1,
                    io.dagctl.core.event.Outcome.NOT_STARTED, "", "", Instant.now(), Instant.now(),
                    "worker error: " + e));
        }
        if (result.isEmpty()) {
            LOG.log(System.Logger.Level.INFO, "stopped {0} before it finished; not reported", task.attemptId());
            span[0].end();
            reporter.abandoned(task.attemptId());
            complete(new Completion(partition, offset, true));
            return;
        }
        TaskFinished finished = result.get();
        metrics.finished(finished);
        tracer.end(span[0], finished);
        LOG.log(finished.outcome() == io.dagctl.core.event.Outcome.SUCCEEDED ? System.Logger.Level.DEBUG
                        : System.Logger.Level.INFO, "{0} ended {1}, exit code {2}{3}", task.attemptId(), finished.outcome(),
                finished.exitCode(), finished.error() == null ? "" : ": " + finished.error());
        reporter.finished(task.runId(), result.get())
                .whenComplete((ok, error) -> complete(new Completion(partition, offset, false)));
    }

    private void complete(Completion completion) {
        completions.add(completion);
        if (full) {
            consumer.wakeup();
        }
    }

    private void settleCompletions() {
        Completion c;
        while ((c = completions.poll()) != null) {
            metrics.busySlots(busy.decrementAndGet());
            if (!c.abandoned()) {
                offsets.done(c.partition(), c.offset());
            }
        }
    }

    private void commit() {
        var committable = offsets.takeCommittable();
        if (!committable.isEmpty()) {
            consumer.commitAsync(committable, (done, error) -> {
                if (error != null) {
                    LOG.log(System.Logger.Level.WARNING, "offset commit failed (work will be re-delivered): {0}",
                            error.getMessage());
                }
            });
        }
    }

    /** Shutdown: take nothing new, let running tasks finish within the grace period, stop and release the rest. */
    private void drain() {
        consumer.pause(consumer.assignment());
        long deadline = System.nanoTime() + config.drainGrace().toNanos();
        if (busy.get() > 0) {
            LOG.log(System.Logger.Level.INFO, "draining: waiting up to {0} s for {1} running task(s)",
                    config.drainGrace().toSeconds(), busy.get());
        }
        while (busy.get() > 0 && System.nanoTime() < deadline) {
            pollQuietly();
            settleCompletions();
            commit();
        }
        if (busy.get() > 0) {
            LOG.log(System.Logger.Level.WARNING, "stopping {0} task(s) still running after the grace period; they will run again elsewhere",
                    busy.get());
            slots.shutdownNow();
            long hardDeadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (busy.get() > 0 && System.nanoTime() < hardDeadline) {
                pollQuietly();
                settleCompletions();
            }
        }
        settleCompletions();
        try {
            consumer.commitSync(offsets.takeCommittable(), Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "final offset commit failed (work will be re-delivered): {0}", e.getMessage());
        }
    }

    private void pollQuietly() {
        try {
            consumer.poll(Duration.ofMillis(100));
        } catch (WakeupException e) {
            // a task finished
        }
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            poller.join(config.drainGrace().plusSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        control.close();
        slots.shutdownNow();
        streamReaders.shutdownNow();
        logs.close();
        reporter.close();
        metrics.close();
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            settleCompletions();
            try {
                consumer.commitSync(offsets.takeCommittable());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "commit on revocation failed: {0}", e.getMessage());
            }
            partitions.forEach(offsets::forget);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            LOG.log(System.Logger.Level.INFO, "assigned {0} dispatch partition(s)", partitions.size());
        }
    }
}
