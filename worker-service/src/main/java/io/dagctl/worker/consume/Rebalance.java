package io.dagctl.worker.consume;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Keeps the worker's view of its partitions right as workers join and leave. With cooperative rebalancing only the
 * partitions that move are revoked, and the worker keeps running every attempt it started: a revoked partition's
 * waiting dispatches are dropped (its next owner takes them), what was started is reported to Kafka first, and the
 * commit tells the next owner which records need to run. Runs on the poll thread, inside {@code poll}.
 */
final class Rebalance implements ConsumerRebalanceListener {

    private static final System.Logger LOG = System.getLogger(Rebalance.class.getName());
    private static final Duration COMMIT_TIMEOUT = Duration.ofSeconds(10);
    /** How long a revocation waits for attempts just given to a slot to have their start in Kafka. */
    private static final Duration START_REPORT_WAIT = Duration.ofSeconds(3);

    private final WorkerEngine engine;

    Rebalance(WorkerEngine engine) {
        this.engine = engine;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        engine.inRebalanceCallback(() -> partitionsRevoked(partitions));
    }

    private void partitionsRevoked(Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        engine.queue().drop(partitions);
        // the starts of attempts this worker runs should be in Kafka before the commit passes their records: those
        // just given to a slot get a moment to report theirs
        engine.outbox().flush();
        long deadline = System.nanoTime() + START_REPORT_WAIT.toNanos();
        engine.settleCompletions();
        while (engine.offsets().anyHanded(partitions) && System.nanoTime() < deadline) {
            sleep();
            engine.settleCompletions();
        }
        Map<TopicPartition, OffsetAndMetadata> positions = engine.offsets().handover(partitions);
        try {
            if (!positions.isEmpty()) {
                engine.throughWakeups(() -> {
                    engine.consumer().commitSync(positions, COMMIT_TIMEOUT);
                    return null;
                });
            }
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "commit on revocation failed; the next owner takes the records after the last commit: {0}",
                    e.getMessage());
        }
        forget(partitions);
        LOG.log(
                System.Logger.Level.INFO,
                "gave up {0} dispatch partition(s); running attempts go on here",
                partitions.size());
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
        engine.inRebalanceCallback(() -> partitionsLost(partitions));
    }

    private void partitionsLost(Collection<TopicPartition> partitions) {
        // the group went on without this worker (it was silent too long): no commit, the new owners already read
        engine.queue().drop(partitions);
        forget(partitions);
        LOG.log(System.Logger.Level.WARNING, "lost {0} dispatch partition(s) without a handover", partitions.size());
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        engine.inRebalanceCallback(() -> partitionsAssigned(partitions));
    }

    private void partitionsAssigned(Collection<TopicPartition> partitions) {
        engine.assigned(engine.consumer().assignment().size());
        if (partitions.isEmpty()) {
            return;
        }
        try {
            Set<TopicPartition> wanted = new HashSet<>(partitions);
            engine.throughWakeups(() -> engine.consumer().committed(wanted, COMMIT_TIMEOUT))
                    .forEach((partition, committed) -> {
                        if (committed != null) {
                            engine.offsets()
                                    .inherit(partition, ResumeMarks.decode(committed.offset(), committed.metadata()));
                        }
                    });
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "could not read the marks of the partitions taken over; their records run from the committed"
                            + " offset: {0}",
                    e.getMessage());
        }
        LOG.log(System.Logger.Level.INFO, "took {0} dispatch partition(s)", partitions.size());
    }

    private static void sleep() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void forget(Collection<TopicPartition> partitions) {
        partitions.forEach(engine.offsets()::forget);
        engine.assigned(engine.consumer().assignment().size() - partitions.size());
    }
}
