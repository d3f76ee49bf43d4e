package io.dagctl.worker.consume;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.model.TaskType;
import io.dagctl.core.telemetry.TaskLogContext;
import io.dagctl.worker.report.ResultOutbox;
import io.dagctl.worker.telemetry.WorkerMetrics;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * What the poll loop does with each dispatch record it takes: reads it (an unreadable one goes to the dead-letter
 * topic), skips it when it must not run here (the partition's previous owner ran it, this worker already runs or ran
 * its attempt, it is too late, its attempt was cancelled), completes a noop at once, and queues the rest for a slot.
 * Used by the poll thread only.
 */
final class DispatchIntake {

    private static final System.Logger LOG = System.getLogger(DispatchIntake.class.getName());

    private final WorkerConfig config;
    private final AttemptLauncher attempts;
    private final ExecutorService slots;
    private final CancelledAttempts cancelled;
    private final ResultOutbox outbox;
    private final WorkerMetrics metrics;
    private final OffsetTracker offsets;
    private final DispatchQueue queue;
    private final FreeSlots freeSlots;
    private final RecentAttempts recent = new RecentAttempts();
    private final Consumer<WorkerEngine.Completion> completions;
    private final Clock clock;

    DispatchIntake(
            WorkerConfig config,
            WorkerEngine.Parts parts,
            OffsetTracker offsets,
            DispatchQueue queue,
            FreeSlots freeSlots,
            Consumer<WorkerEngine.Completion> completions,
            Clock clock) {
        this.config = config;
        this.attempts = parts.attempts();
        this.slots = parts.slots();
        this.cancelled = parts.cancelled();
        this.outbox = parts.outbox();
        this.metrics = parts.metrics();
        this.offsets = offsets;
        this.queue = queue;
        this.freeSlots = freeSlots;
        this.completions = completions;
        this.clock = clock;
    }

    void take(TopicPartition partition, ConsumerRecord<String, byte[]> record) {
        long offset = record.offset();
        if (!offsets.shouldRun(partition, offset)) {
            // the partition's previous owner started it: it runs (or ran) there, watched by the coordinator
            metrics.skipped("taken_before");
            offsets.skipped(partition, offset);
            return;
        }
        TaskDispatched task;
        try {
            task = Events.fromJson(record.value() == null ? new byte[0] : record.value(), TaskDispatched.class);
            task.taskType();
        } catch (MalformedEventException | IllegalArgumentException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "unreadable dispatch record at {0}@{1}: {2}",
                    partition,
                    offset,
                    e.getMessage());
            outbox.deadLetter(record.key(), record.value(), record.topic(), e.getMessage());
            metrics.deadLetter(record.topic());
            offsets.skipped(partition, offset);
            return;
        }
        String traceparent = AttemptRunner.traceparentOf(record, task);
        if (recent.contains(task.attemptId())) {
            skip(task, traceparent, partition, offset, "duplicate", "it already runs, or ran, on this worker");
            return;
        }
        offsets.taken(partition, offset);
        if (task.taskType() == TaskType.NOOP) {
            if (!skipped(task, traceparent, partition, offset)) {
                recent.add(task.attemptId());
                attempts.runNoop(task, traceparent, () -> completions.accept(covered(partition, offset)));
            }
            return;
        }
        queue.add(new DispatchQueue.Waiting(partition, offset, task, traceparent));
    }

    /** Starts waiting dispatches while slots are free. */
    void startWaiting() {
        while (freeSlots.anyFree() && !queue.isEmpty()) {
            DispatchQueue.Waiting next = queue.next();
            start(next.task(), next.traceparent(), next.partition(), next.offset());
        }
    }

    private void start(TaskDispatched task, String traceparent, TopicPartition partition, long offset) {
        if (skipped(task, traceparent, partition, offset)) {
            return;
        }
        // remembered only once it runs: a waiting record dropped at a revocation runs when its partition comes back
        if (!recent.add(task.attemptId())) {
            skip(task, traceparent, partition, offset, "duplicate", "it already runs, or ran, on this worker");
            return;
        }
        offsets.handed(partition, offset);
        Instant slotFreeSince = freeSlots.take();
        metrics.busySlots(freeSlots.busy());
        slots.execute(() -> attempts.run(
                task,
                traceparent,
                slotFreeSince,
                () -> completions.accept(new WorkerEngine.Completion(partition, offset, clock.instant(), false)),
                () -> completions.accept(covered(partition, offset))));
    }

    private static WorkerEngine.Completion covered(TopicPartition partition, long offset) {
        return new WorkerEngine.Completion(partition, offset, null, true);
    }

    /** True (and the record is covered) when the dispatch must not run: too late, or its attempt was cancelled. */
    private boolean skipped(TaskDispatched task, String traceparent, TopicPartition partition, long offset) {
        if (task.isStale(clock.instant())) {
            skip(
                    task,
                    traceparent,
                    partition,
                    offset,
                    "stale",
                    "it had to start by " + task.startBy() + "; the coordinator has queued a new attempt");
            return true;
        }
        if (cancelled.wasCancelled(task.attemptId())) {
            skip(task, traceparent, partition, offset, "cancelled", "its attempt was stopped");
            return true;
        }
        return false;
    }

    private void skip(
            TaskDispatched task, String traceparent, TopicPartition partition, long offset, String reason, String why) {
        try (TaskLogContext ignored = AttemptRunner.logContext(task, config.workerId(), traceparent)) {
            LOG.log(System.Logger.Level.INFO, "skipped {0}: {1}", task.attemptId(), why);
        }
        metrics.skipped(reason);
        offsets.skipped(partition, offset);
    }
}
