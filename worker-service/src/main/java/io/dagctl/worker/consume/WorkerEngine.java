package io.dagctl.worker.consume;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.model.TaskType;
import io.dagctl.core.telemetry.TaskLogContext;
import io.dagctl.worker.report.ResultOutbox;
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
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

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

    /**
     * What the poll loop works with besides its consumer.
     *
     * @param slots runs attempts, one thread per slot; interrupted when a drain gives up on running attempts
     */
    public record Parts(
            AttemptLauncher attempts,
            ExecutorService slots,
            CancelledAttempts cancelled,
            ResultOutbox outbox,
            WorkerMetrics metrics,
            Clock clock) {}

    private final WorkerConfig config;
    private final Consumer<String, byte[]> consumer;
    private final AttemptLauncher attempts;
    private final ExecutorService slots;
    private final CancelledAttempts cancelled;
    private final ResultOutbox outbox;
    private final WorkerMetrics metrics;
    private final Clock clock;
    private final OffsetTracker offsets = new OffsetTracker();
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final DispatchQueue queue = new DispatchQueue();
    private final FreeSlots freeSlots;
    private final Thread poller;
    private volatile boolean stopping;
    private volatile long lastLoopNanos = System.nanoTime();
    private volatile int assignedPartitions;
    private volatile boolean full;

    public WorkerEngine(WorkerConfig config, Consumer<String, byte[]> consumer, Parts parts) {
        this.config = config;
        this.consumer = consumer;
        this.attempts = parts.attempts();
        this.slots = parts.slots();
        this.cancelled = parts.cancelled();
        this.outbox = parts.outbox();
        this.metrics = parts.metrics();
        this.clock = parts.clock();
        this.freeSlots = new FreeSlots(config.slots(), clock.instant());
        this.poller = new Thread(this::pollLoop, "dispatch-poller");
    }

    /** The settings of the dispatch consumer: one group, committed reads only, offsets committed by the poll loop. */
    public static Map<String, Object> consumerProperties(WorkerConfig config) {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                config.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG,
                config.connection().groupId(),
                ConsumerConfig.CLIENT_ID_CONFIG,
                "dagctl-worker-" + config.workerId(),
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "earliest",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
                Math.max(MAX_POLL_RECORDS, config.slots()),
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                (int) config.timing().sessionTimeout().toMillis(),
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                (int) Math.max(250, config.timing().sessionTimeout().toMillis() / 6),
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
                100);
    }

    /** Starts taking work (the lifecycle has made sure the dispatch topic exists). */
    public void start() {
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
        LOG.log(
                System.Logger.Level.INFO,
                "worker {0} takes work from {1} with {2} slots",
                config.workerId(),
                config.topics().dispatch(),
                config.slots());
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
            LOG.log(
                    System.Logger.Level.WARNING,
                    "unreadable dispatch record at {0}@{1}: {2}",
                    partition,
                    record.offset(),
                    e.getMessage());
            outbox.deadLetter(record.key(), record.value(), record.topic(), e.getMessage());
            metrics.deadLetter(record.topic());
            offsets.skipped(partition, record.offset());
            return;
        }
        String traceparent = AttemptRunner.traceparentOf(record, task);
        offsets.started(partition, record.offset());
        if (task.taskType() == TaskType.NOOP) {
            long offset = record.offset();
            if (!skipped(task, traceparent, partition, offset)) {
                attempts.runNoop(task, traceparent, () -> complete(new Completion(partition, offset, null, true)));
            }
            return;
        }
        queue.add(new DispatchQueue.Waiting(partition, record.offset(), task, traceparent));
    }

    /** True (and the record is done) when the dispatch must not run: too late, or its attempt was cancelled. */
    private boolean skipped(TaskDispatched task, String traceparent, TopicPartition partition, long offset) {
        if (task.isStale(clock.instant())) {
            try (TaskLogContext ignored = AttemptRunner.logContext(task, config.workerId(), traceparent)) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "skipped {0}: it had to start by {1}; the coordinator has queued a new attempt",
                        task.attemptId(),
                        task.startBy());
            }
            metrics.skipped("stale");
            offsets.done(partition, offset);
            return true;
        }
        if (cancelled.wasCancelled(task.attemptId())) {
            try (TaskLogContext ignored = AttemptRunner.logContext(task, config.workerId(), traceparent)) {
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
        slots.execute(() -> attempts.run(
                task,
                traceparent,
                slotFreeSince,
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
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "offset commit failed (work will be re-delivered): {0}",
                            error.getMessage());
                }
            });
        }
    }

    /** Shutdown: take nothing new, let running tasks finish within the grace period, stop and release the rest. */
    private void drain() {
        consumer.pause(consumer.assignment());
        queue.clear(); // never started: their offsets stay uncommitted, so they run elsewhere
        long deadline = System.nanoTime() + config.timing().drainGrace().toNanos();
        if (freeSlots.busy() > 0) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "draining: waiting up to {0} s for {1} running task(s)",
                    config.timing().drainGrace().toSeconds(),
                    freeSlots.busy());
        }
        while (freeSlots.busy() > 0 && System.nanoTime() < deadline) {
            pollQuietly();
            settleCompletions();
            commit();
        }
        if (freeSlots.busy() > 0) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "stopping {0} task(s) still running after the grace period; they will run again elsewhere",
                    freeSlots.busy());
            slots.shutdownNow();
            long hardDeadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
            while (freeSlots.busy() > 0 && System.nanoTime() < hardDeadline) {
                pollQuietly();
                settleCompletions();
            }
        }
        outbox.flush(); // every result sent is in Kafka: those records' offsets may be committed
        settleCompletions();
        try {
            consumer.commitSync(offsets.takeCommittable(), Duration.ofSeconds(10));
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "final offset commit failed (work will be re-delivered): {0}",
                    e.getMessage());
        }
    }

    private void pollQuietly() {
        try {
            consumer.poll(Duration.ofMillis(100));
        } catch (WakeupException e) {
            // a task finished
        }
    }

    /** Stops taking work and drains (see {@link #drain}); returns once the poll loop has ended. */
    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
        try {
            poller.join(config.timing().drainGrace().plusSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
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
