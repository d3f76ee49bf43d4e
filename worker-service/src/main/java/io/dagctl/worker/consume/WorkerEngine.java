package io.dagctl.worker.consume;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.model.TaskType;
import io.dagctl.core.telemetry.TaskLogContext;
import io.dagctl.worker.exec.Interpreters;
import io.dagctl.worker.exec.TaskExecutor;
import io.dagctl.worker.report.LogStreamer;
import io.dagctl.worker.report.ResultReporter;
import io.dagctl.worker.telemetry.AttemptTracer;
import io.dagctl.worker.telemetry.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
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
    /** Records taken per poll: noop tasks finish at once, so take many; others wait in the bounded queue. */
    private static final int MAX_POLL_RECORDS = 500;

    /**
     * Sent to the poll thread: a slot became free (at {@code freedAt}), and/or a record's work is done (its result is
     * in Kafka).
     */
    private record Completion(TopicPartition partition, long offset, Instant freedAt, boolean offsetDone) {
        boolean freesSlot() {
            return freedAt != null;
        }
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
    private final DispatchQueue queue = new DispatchQueue();
    private final Thread poller;
    private final WorkerMetrics metrics;
    private final AttemptRunner runner;
    private final Clock clock;
    private final FreeSlots freeSlots;
    private volatile boolean stopping;
    private volatile long lastLoopNanos = System.nanoTime();
    private volatile int assignedPartitions;
    private volatile boolean full;

    public WorkerEngine(WorkerConfig config, Interpreters interpreters, Clock clock, WorkerMetrics metrics,
            AttemptTracer tracer) {
        this.config = config;
        this.metrics = metrics;
        this.clock = clock;
        this.freeSlots = new FreeSlots(config.slots(), clock.instant());
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
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(MAX_POLL_RECORDS, config.slots()),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.sessionTimeout().toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) Math.max(250, config.sessionTimeout().toMillis() / 6),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100),
                new StringDeserializer(), new ByteArrayDeserializer());
        this.poller = new Thread(this::pollLoop, "dispatch-poller");
        this.runner = new AttemptRunner(executor, reporter, logs, metrics, tracer, config.workerId(), clock);
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

    /** Dispatch partitions this worker holds now (0 before it joined the group, or when workers outnumber them). */
    public int assignedPartitions() {
        return assignedPartitions;
    }

    /** Whether the poll loop is alive: it has gone round within {@code within} (a round takes at most ~200 ms). */
    public boolean isPolling(Duration within) {
        return poller.isAlive() && System.nanoTime() - lastLoopNanos < within.toNanos();
    }

    private void pollLoop() {
        consumer.subscribe(List.of(config.topics().dispatch()), new Rebalance());
        LOG.log(System.Logger.Level.INFO, "worker {0} takes work from {1} with {2} slots", config.workerId(),
                config.topics().dispatch(), config.slots());
        try {
            while (!stopping) {
                lastLoopNanos = System.nanoTime();
                settleCompletions();
                startWaiting();
                commit();
                // fetch more only while the queue is short: the backlog stays in Kafka, where the lag shows it
                boolean enough = queue.size() >= queueBound();
                full = !freeSlots.anyFree();
                if (enough) {
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

    private int queueBound() {
        return 2 * config.slots();
    }

    private void take(ConsumerRecords<String, byte[]> records) {
        for (ConsumerRecord<String, byte[]> record : records) {
            take(new TopicPartition(record.topic(), record.partition()), record);
        }
        startWaiting();
    }

    /** Starts waiting dispatches while slots are free. */
    private void startWaiting() {
        while (freeSlots.anyFree() && !queue.isEmpty()) {
            DispatchQueue.Waiting next = queue.next();
            start(next.task(), next.traceparent(), next.partition(), next.offset());
        }
    }

    private void take(TopicPartition partition, ConsumerRecord<String, byte[]> record) {
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
        String traceparent = AttemptRunner.traceparentOf(record, task);
        offsets.started(partition, record.offset());
        if (task.taskType() == TaskType.NOOP) {
            long offset = record.offset();
            if (!skipped(task, traceparent, partition, offset)) {
                runner.runNoop(task, traceparent, () -> complete(new Completion(partition, offset, null, true)));
            }
            return;
        }
        queue.add(new DispatchQueue.Waiting(partition, record.offset(), task, traceparent));
    }

    /** True (and the record is done) when the dispatch must not run: too late, or its attempt was cancelled. */
    private boolean skipped(TaskDispatched task, String traceparent, TopicPartition partition, long offset) {
        if (task.isStale(Instant.now())) {
            try (TaskLogContext ignored = runner.logContext(task, traceparent)) {
                LOG.log(System.Logger.Level.WARNING, "skipped {0}: it had to start by {1}; the coordinator has queued a new attempt",
                        task.attemptId(), task.startBy());
            }
            metrics.skipped("stale");
            offsets.done(partition, offset);
            return true;
        }
        if (control.wasCancelled(task.attemptId())) {
            try (TaskLogContext ignored = runner.logContext(task, traceparent)) {
                LOG.log(System.Logger.Level.INFO, "skipped {0}: its run was cancelled", task.attemptId());
            }
            metrics.skipped("cancelled");
            offsets.done(partition, offset);
            return true;
        }
        return false;
    }

    private void start(TaskDispatched task, String traceparent, TopicPartition partition, long offset) {
        if (skipped(task, traceparent, partition, offset)) {
            return;
        }
        Instant slotFreeSince = freeSlots.take();
        metrics.busySlots(freeSlots.busy());
        slots.execute(() -> runner.run(task, traceparent, slotFreeSince,
                () -> complete(new Completion(partition, offset, clock.instant(), false)),
                () -> complete(new Completion(partition, offset, null, true))));
    }

    private void complete(Completion completion) {
        completions.add(completion);
        if (completion.freesSlot() && full) {
            consumer.wakeup();
        }
    }

    private void settleCompletions() {
        Completion c;
        while ((c = completions.poll()) != null) {
            if (c.freesSlot()) {
                freeSlots.freed(c.freedAt());
                metrics.busySlots(freeSlots.busy());
            }
            if (c.offsetDone()) {
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
        queue.clear(); // never started: their offsets stay uncommitted, so they run elsewhere
        long deadline = System.nanoTime() + config.drainGrace().toNanos();
        if (freeSlots.busy() > 0) {
            LOG.log(System.Logger.Level.INFO, "draining: waiting up to {0} s for {1} running task(s)",
                    config.drainGrace().toSeconds(), freeSlots.busy());
        }
        while (freeSlots.busy() > 0 && System.nanoTime() < deadline) {
            pollQuietly();
            settleCompletions();
            commit();
        }
        if (freeSlots.busy() > 0) {
            LOG.log(System.Logger.Level.WARNING, "stopping {0} task(s) still running after the grace period; they will run again elsewhere",
                    freeSlots.busy());
            slots.shutdownNow();
            long hardDeadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (freeSlots.busy() > 0 && System.nanoTime() < hardDeadline) {
                pollQuietly();
                settleCompletions();
            }
        }
        reporter.flush(); // every result sent is in Kafka: those records' offsets may be committed
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
            queue.drop(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assignedPartitions = consumer.assignment().size();
            LOG.log(System.Logger.Level.INFO, "assigned {0} dispatch partition(s)", partitions.size());
        }
    }
}
