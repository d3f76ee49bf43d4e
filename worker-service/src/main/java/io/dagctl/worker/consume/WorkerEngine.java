package io.dagctl.worker.consume;

import io.dagctl.worker.report.ResultOutbox;
import io.dagctl.worker.telemetry.WorkerMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;

/**
 * A worker: takes dispatched attempts from Kafka into a fixed number of slots and runs them. When every slot is busy
 * it pauses its partitions, so the backlog stays in Kafka as consumer lag (what an autoscaler watches) and never in
 * this process's memory. A record's offset is committed once the coordinator watches its attempt (its start is in
 * Kafka), with marks that tell the partition's next owner which records beyond it still need to run; so workers join
 * and leave (cooperative rebalancing) without a task running twice or being lost.
 */
public final class WorkerEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WorkerEngine.class.getName());
    /** Records taken per poll: noop tasks finish at once, so take many; others wait in the bounded queue. */
    static final int MAX_POLL_RECORDS = 500;
    /** How long a drain waits for attempts it stopped to report, after the grace. */
    private static final Duration STOPPED_REPORT_WAIT = Duration.ofSeconds(15);
    /** How long a leaving worker retries its last commit while the group rebalances. */
    private static final Duration FINAL_COMMIT_WAIT = Duration.ofSeconds(15);
    /** How often the poll loop commits: a crash takes again at most this much more of what was already covered. */
    private static final Duration COMMIT_EVERY = Duration.ofMillis(100);
    /** How long a call in a rebalance callback is retried through wakeups before the callback gives up on it. */
    private static final Duration WAKEUP_RETRY_LIMIT = Duration.ofSeconds(15);

    /**
     * Sent to the poll thread: a slot became free (at {@code freedAt}), and/or a record is covered (the coordinator
     * watches its attempt).
     */
    record Completion(TopicPartition partition, long offset, Instant freedAt, boolean covered) {
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
    private final ExecutorService slots;
    private final ResultOutbox outbox;
    private final WorkerMetrics metrics;
    private final OffsetTracker offsets = new OffsetTracker();
    private final Queue<Completion> completions = new ConcurrentLinkedQueue<>();
    private final DispatchQueue queue = new DispatchQueue();
    private final FreeSlots freeSlots;
    private final DispatchIntake intake;
    private final Thread poller;
    private volatile boolean stopping;
    private volatile long lastLoopNanos = System.nanoTime();
    private volatile int assignedPartitions;
    private volatile boolean full;
    private long lastCommitNanos = System.nanoTime();
    private volatile boolean inCallback;
    private volatile boolean wakeupHeld;

    public WorkerEngine(WorkerConfig config, Consumer<String, byte[]> consumer, Parts parts) {
        this.config = config;
        this.consumer = consumer;
        this.slots = parts.slots();
        this.outbox = parts.outbox();
        this.metrics = parts.metrics();
        this.freeSlots = new FreeSlots(config.slots(), parts.clock().instant());
        this.intake = new DispatchIntake(config, parts, offsets, queue, freeSlots, this::complete, parts.clock());
        this.poller = new Thread(this::pollLoop, "dispatch-poller");
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
        consumer.subscribe(config.dispatchTopics(), new Rebalance(this));
        LOG.log(
                System.Logger.Level.INFO,
                "worker {0} takes work from {1} with {2} slots{3}",
                config.workerId(),
                String.join(", ", config.dispatchTopics()),
                config.slots(),
                config.dispatchReads() == WorkerConfig.DispatchReads.UNCOMMITTED
                        ? ", dispatches read before their transaction commits (dagctl.worker.dispatch-reads=uncommitted)"
                        : "");
        try {
            while (!stopping) {
                lastLoopNanos = System.nanoTime();
                settleCompletions();
                intake.startWaiting();
                commit();
                // fetch more only while the queue is short: the backlog stays in Kafka, where the lag shows it
                boolean enough = queue.size() >= queueBound();
                full = !freeSlots.anyFree();
                if (enough) {
                    consumer.pause(consumer.assignment());
                } else if (!consumer.paused().isEmpty()) {
                    Set<TopicPartition> paused = new HashSet<>(consumer.paused());
                    paused.retainAll(consumer.assignment()); // a partition paused before it was revoked is gone
                    consumer.resume(paused);
                }
                ConsumerRecords<String, byte[]> records;
                try {
                    records = consumer.poll(Duration.ofMillis(200));
                } catch (WakeupException e) {
                    continue;
                }
                for (ConsumerRecord<String, byte[]> record : records) {
                    intake.take(new TopicPartition(record.topic(), record.partition()), record);
                }
                intake.startWaiting();
            }
            drain();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the dispatch poller failed; the worker stops taking work", e);
        } finally {
            // leave at once, static member or not: a worker that drains is gone, its partitions should move now
            consumer.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(Duration.ofSeconds(10)));
        }
    }

    private int queueBound() {
        return 2 * config.slots();
    }

    private void complete(Completion completion) {
        completions.add(completion);
        if (completion.freesSlot() && full) {
            if (inCallback) {
                wakeupHeld = true; // the rebalance callback's commit must not be broken; the poll gets it after
            } else {
                consumer.wakeup();
            }
        }
    }

    /** Applies what slots and the producer reported since the last call. */
    void settleCompletions() {
        Completion c;
        while ((c = completions.poll()) != null) {
            if (c.freesSlot()) {
                freeSlots.freed(c.freedAt());
                metrics.busySlots(freeSlots.busy());
            }
            if (c.covered()) {
                offsets.covered(c.partition(), c.offset());
            }
        }
    }

    /** Commits what moved, at most every {@link #COMMIT_EVERY}: a commit (and its marks) per poll would cost more. */
    private void commit() {
        long now = System.nanoTime();
        if (now - lastCommitNanos < COMMIT_EVERY.toNanos()) {
            return;
        }
        lastCommitNanos = now;
        var committable = offsets.takeCommittable();
        if (!committable.isEmpty()) {
            consumer.commitAsync(committable, (done, error) -> {
                if (error != null) {
                    offsets.commitFailed(committable); // called back on the poll thread, inside poll
                    LOG.log(
                            error instanceof RebalanceInProgressException
                                    ? System.Logger.Level.DEBUG // routine while workers join or leave
                                    : System.Logger.Level.WARNING,
                            "offset commit failed; it is made again at the next commit: {0}",
                            error.getMessage());
                }
            });
        }
    }

    /**
     * Shutdown: take nothing new, let running tasks finish within the grace period, then stop the rest and release
     * them (their coordinator queues a new attempt at once), commit, and leave the group.
     */
    private void drain() {
        consumer.pause(consumer.assignment());
        queue.clear(); // never started: still uncovered, so the partitions' next owners take them
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
                    "stopping {0} task(s) still running after the grace period; they are released to run elsewhere",
                    freeSlots.busy());
            slots.shutdownNow();
            long hardDeadline = System.nanoTime() + STOPPED_REPORT_WAIT.toNanos();
            while (freeSlots.busy() > 0 && System.nanoTime() < hardDeadline) {
                pollQuietly();
                settleCompletions();
            }
        }
        outbox.flush(); // every report sent is in Kafka: the records it covers may be committed
        commitBeforeLeaving();
    }

    /**
     * The last commit, retried through rebalances: a worker that leaves while others join would otherwise close in
     * the middle of a rebalance, when Kafka neither takes the commit nor calls the revocation that commits again, and
     * the next owners would run again what finished here since the last commit.
     */
    private void commitBeforeLeaving() {
        long deadline = System.nanoTime() + FINAL_COMMIT_WAIT.toNanos();
        while (true) {
            settleCompletions();
            Map<TopicPartition, OffsetAndMetadata> last = offsets.allPositions();
            if (last.isEmpty()) {
                return;
            }
            try {
                throughWakeups(() -> {
                    consumer.commitSync(last, Duration.ofSeconds(10));
                    return null;
                });
                return;
            } catch (RebalanceInProgressException e) {
                if (System.nanoTime() > deadline) {
                    LOG.log(
                            System.Logger.Level.WARNING,
                            "final offset commit failed: the group was still rebalancing after {0} s; records not"
                                    + " committed will be taken again",
                            FINAL_COMMIT_WAIT.toSeconds());
                    return;
                }
                pollQuietly(); // completes the rebalance (a revocation in it commits its own handover)
            } catch (RuntimeException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "final offset commit failed (records not committed will be taken again): {0}",
                        e.getMessage());
                return;
            }
        }
    }

    /**
     * A poll that only keeps the membership going: what is assigned before it stays paused; records of a partition
     * assigned during it are dropped (never taken, so never committed: its next owner reads them).
     */
    private void pollQuietly() {
        try {
            consumer.pause(consumer.assignment());
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
            poller.join(config.timing()
                    .drainGrace()
                    .plus(STOPPED_REPORT_WAIT)
                    .plus(FINAL_COMMIT_WAIT)
                    .plusSeconds(15)
                    .toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // --- for Rebalance, on the poll thread

    Consumer<String, byte[]> consumer() {
        return consumer;
    }

    OffsetTracker offsets() {
        return offsets;
    }

    DispatchQueue queue() {
        return queue;
    }

    ResultOutbox outbox() {
        return outbox;
    }

    /**
     * A blocking consumer call from the poll thread that a slot thread's {@code wakeup} (a slot is free) must not
     * break: the call is made again, and the wakeup passed on to the next poll.
     */
    <T> T throughWakeups(Supplier<T> call) {
        long deadline = System.nanoTime() + WAKEUP_RETRY_LIMIT.toNanos();
        boolean woken = false;
        try {
            while (true) {
                try {
                    return call.get();
                } catch (WakeupException e) {
                    woken = true;
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                }
            }
        } finally {
            if (woken) {
                consumer.wakeup();
            }
        }
    }

    /**
     * Runs a rebalance callback with slot wakeups held back (a wakeup that lands anyway is retried through by
     * {@link #throughWakeups}); one held back is passed on to the poll when the callback is done.
     */
    void inRebalanceCallback(Runnable callback) {
        inCallback = true;
        try {
            callback.run();
        } finally {
            inCallback = false;
            if (wakeupHeld) {
                wakeupHeld = false;
                consumer.wakeup();
            }
        }
    }

    void assigned(int partitions) {
        assignedPartitions = partitions;
    }

    Optional<String> instanceId() {
        return config.instanceId();
    }
}
