package io.dagctl.worker.consume;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.Topics;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.TaskType;
import io.dagctl.worker.exec.ExecutionSettings;
import io.dagctl.worker.report.ResultOutbox;
import io.dagctl.worker.telemetry.WorkerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The poll loop without Kafka: a mock consumer, attempts that end when the test says so. */
class WorkerEngineTest {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
    private static final Topics TOPICS = Topics.defaults();
    private static final TopicPartition P0 = new TopicPartition(TOPICS.dispatch(), 0);
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final PollingMockConsumer consumer = new PollingMockConsumer();
    private final FakeAttempts attempts = new FakeAttempts();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
    private final List<String> deadLetters = new CopyOnWriteArrayList<>();
    private final ExecutorService slots = Executors.newCachedThreadPool();
    private WorkerEngine engine;

    /** What the partition's previous owner committed (MockConsumer forgets commits made before it subscribes). */
    private final Map<TopicPartition, OffsetAndMetadata> previousOwnerCommit = new ConcurrentHashMap<>();

    private static WorkerConfig config(int slotCount, Duration drainGrace, WorkerConfig.DispatchReads reads) {
        return new WorkerConfig(
                new WorkerConfig.Connection("unused:9092", Map.of(), TOPICS, "workers"),
                "w1",
                Optional.empty(),
                slotCount,
                new ExecutionSettings(Path.of("/tmp"), 1024, Duration.ofSeconds(1), false),
                new WorkerConfig.Timing(Duration.ofSeconds(3), drainGrace, Duration.ofSeconds(6), Duration.ZERO),
                1024,
                reads,
                List.of("default"));
    }

    private WorkerEngine start(int slotCount, Duration drainGrace) {
        WorkerConfig config = config(slotCount, drainGrace, WorkerConfig.DispatchReads.COMMITTED);
        ResultOutbox outbox = new ResultOutbox() {
            @Override
            public void deadLetter(String key, byte[] value, String sourceTopic, String reason) {
                deadLetters.add(key + ": " + reason);
            }

            @Override
            public void flush() {}
        };
        WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry(), slotCount);
        engine = new WorkerEngine(
                config,
                consumer,
                new WorkerEngine.Parts(
                        attempts, slots, cancelled::contains, outbox, metrics, Clock.fixed(NOW, ZoneOffset.UTC)));
        consumer.schedulePollTask(() -> {
            consumer.commitSync(previousOwnerCommit);
            consumer.rebalance(List.of(P0));
            consumer.updateBeginningOffsets(Map.of(P0, 0L));
        });
        engine.start();
        await().atMost(WAIT).until(() -> engine.assignedPartitions() == 1);
        return engine;
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            attempts.finishAll();
            engine.close();
        }
        slots.shutdownNow();
    }

    @Test
    void dispatchesAreReadOnceCommittedUnlessTheOperatorChoseUncommittedReads() {
        assertEquals(
                "read_committed",
                DispatchConsumerSettings.of(config(1, Duration.ofSeconds(1), WorkerConfig.DispatchReads.COMMITTED))
                        .get("isolation.level"));
        assertEquals(
                "read_uncommitted",
                DispatchConsumerSettings.of(config(1, Duration.ofSeconds(1), WorkerConfig.DispatchReads.UNCOMMITTED))
                        .get("isolation.level"));
    }

    @Test
    void fetchingPausesWhileTwiceTheSlotsWaitAndResumesWhenTheQueueShortens() {
        start(2, Duration.ofSeconds(5));
        consumer.add(0, 10, TaskType.BASH);
        await().atMost(WAIT).until(() -> attempts.started().size() == 2);
        await().atMost(WAIT).until(() -> consumer.paused().contains(P0));
        assertEquals(2, attempts.started().size(), "no more attempts than slots");

        attempts.finish("t0");
        attempts.finish("t1");
        await().atMost(WAIT).until(() -> attempts.started().size() == 4);
        assertTrue(consumer.paused().contains(P0), "six still wait: more than twice the slots");
        attempts.finish("t2");
        attempts.finish("t3");
        await().atMost(WAIT).until(() -> attempts.started().size() == 6);
        assertTrue(consumer.paused().contains(P0), "four still wait: twice the slots");
        attempts.finish("t4");
        await().atMost(WAIT).until(() -> !consumer.paused().contains(P0));
        assertEquals(
                Set.of("t0", "t1", "t2", "t3", "t4", "t5", "t6"),
                Set.copyOf(attempts.started()),
                "the first records of the partition, each once");
    }

    @Test
    void theOffsetPassesARecordOnceItsAttemptIsCoveredAndMarksWhatIsNotYet() {
        start(3, Duration.ofSeconds(5));
        consumer.add(0, 3, TaskType.BASH);
        await().atMost(WAIT).until(() -> attempts.started().size() == 3);

        attempts.cover("t1");
        attempts.cover("t2");
        await().atMost(WAIT).until(() -> "dagctl1;3;0".equals(consumer.committedMetadata(P0)));
        assertEquals(0L, consumer.committedOffset(P0), "t0's start is not in Kafka yet: nothing passes it");

        attempts.cover("t0");
        await().atMost(WAIT).until(() -> Long.valueOf(3).equals(consumer.committedOffset(P0)));
        assertEquals("", consumer.committedMetadata(P0));
        assertEquals(3, attempts.running(), "covered is not finished: all three still run");
    }

    @Test
    void aLongTaskDoesNotHoldBackTheRecordsAfterIt() {
        start(2, Duration.ofSeconds(5));
        consumer.add(0, 5, TaskType.BASH);
        await().atMost(WAIT).until(() -> attempts.started().size() == 2);
        attempts.cover("t0"); // a long task: started, and still running at the end of this test
        for (String task : List.of("t1", "t2", "t3", "t4")) {
            await().atMost(WAIT).until(() -> attempts.started().contains(task));
            attempts.finish(task);
        }
        await().atMost(WAIT).until(() -> Long.valueOf(5).equals(consumer.committedOffset(P0)));
    }

    @Test
    void aPartitionTakenOverRunsOnlyWhatItsPreviousOwnerHadNotStarted() {
        // the previous owner committed 5 and marked: of 5..7 only 6 was not covered (7 is not there yet)
        previousOwnerCommit.put(P0, new OffsetAndMetadata(5, "dagctl1;3;1"));
        start(4, Duration.ofSeconds(5));
        consumer.add(5, 4, TaskType.BASH);
        await().atMost(WAIT).until(() -> attempts.started().size() >= 2);
        assertEquals(Set.of("t6", "t8"), Set.copyOf(attempts.started()), "t5 and t7 run on the previous owner");
    }

    @Test
    void aRecordOfAnAttemptThisWorkerAlreadyTookIsNotRunAgain() {
        start(2, Duration.ofSeconds(5));
        consumer.addRecord(consumer.record(0, dispatch("t0", TaskType.BASH, NOW.plusSeconds(60))));
        consumer.addRecord(consumer.record(1, dispatch("t0", TaskType.BASH, NOW.plusSeconds(60))));
        consumer.add(2, 1, TaskType.BASH);
        await().atMost(WAIT).until(() -> attempts.started().size() >= 2);
        assertEquals(List.of("t0", "t2"), attempts.started().stream().sorted().toList());
    }

    @Test
    void aRevokedPartitionCommitsItsMarksDropsWhatWaitsAndKeepsRunningWhatStarted() {
        start(1, Duration.ofSeconds(5));
        consumer.add(0, 3, TaskType.BASH);
        await().atMost(WAIT).until(() -> attempts.started().size() == 1);
        attempts.cover("t0");
        consumer.schedulePollTask(() -> consumer.rebalance(List.of()));
        await().atMost(WAIT).until(() -> engine.assignedPartitions() == 0);
        assertEquals(1L, consumer.committedOffset(P0), "t0 is covered");
        assertEquals("dagctl1;2;0-1", consumer.committedMetadata(P0), "t1 and t2 were never started");
        assertEquals(1, attempts.running(), "t0 goes on running here");

        attempts.finish("t0");
        assertEquals(List.of("t0"), attempts.started(), "nothing of the revoked partition starts");
    }

    @Test
    void aWaitingRecordDroppedAtARevocationRunsWhenItsPartitionComesBack() {
        start(1, Duration.ofSeconds(5));
        consumer.add(0, 3, TaskType.BASH);
        await().atMost(WAIT).until(() -> attempts.started().size() == 1);
        attempts.cover("t0");
        consumer.schedulePollTask(() -> consumer.rebalance(List.of()));
        await().atMost(WAIT).until(() -> engine.assignedPartitions() == 0);
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0));
            consumer.add(1, 2, TaskType.BASH); // the records from the committed offset on, read again
        });
        await().atMost(WAIT).until(() -> engine.assignedPartitions() == 1);
        attempts.finish("t0");
        await().atMost(WAIT).until(() -> attempts.started().contains("t1"));
        attempts.finish("t1");
        await().atMost(WAIT).until(() -> attempts.started().contains("t2"));
        assertEquals(List.of("t0", "t1", "t2"), attempts.started(), "each once");
    }

    @Test
    void noopTasksFinishWithoutTakingASlot() {
        start(1, Duration.ofSeconds(5));
        consumer.add(0, 1, TaskType.BASH);
        consumer.add(1, 5, TaskType.NOOP);
        await().atMost(WAIT).until(() -> attempts.noops().size() == 5);
        assertEquals(List.of("t0"), attempts.started(), "the one slot still runs t0");
    }

    @Test
    void cancelledStaleAndUnreadableDispatchesAreSkippedAndCommitted() {
        start(2, Duration.ofSeconds(5));
        cancelled.add(new AttemptId("run", "t0", 1).toString());
        consumer.addRecord(consumer.record(0, dispatch("t0", TaskType.BASH, NOW.plusSeconds(60))));
        consumer.addRecord(consumer.record(1, dispatch("t1", TaskType.BASH, NOW.minusSeconds(1))));
        consumer.addRecord(
                new ConsumerRecord<>(TOPICS.dispatch(), 0, 2, "poison", "{not json".getBytes(StandardCharsets.UTF_8)));
        await().atMost(WAIT).until(() -> Long.valueOf(3).equals(consumer.committedOffset(P0)));
        assertTrue(attempts.started().isEmpty(), "nothing ran: " + attempts.started());
        assertEquals(1, deadLetters.size());
        assertTrue(deadLetters.get(0).startsWith("poison: "), deadLetters.toString());
    }

    @Test
    void aDrainLetsRunningAttemptsFinishAndLeavesQueuedOnesUncommittedForTheNextOwner() throws Exception {
        start(1, Duration.ofSeconds(5));
        consumer.add(0, 3, TaskType.BASH);
        await().atMost(WAIT).until(() -> attempts.started().size() == 1);

        Thread closing = new Thread(engine::close);
        closing.start();
        Thread.sleep(300);
        assertTrue(closing.isAlive(), "the drain waits for the running attempt");
        attempts.finish("t0");
        closing.join(WAIT.toMillis());
        assertFalse(closing.isAlive());
        assertEquals(List.of("t0"), attempts.started(), "queued attempts are not started during a drain");
        assertEquals(1L, consumer.committedOffset(P0), "t0 is done");
        assertEquals("dagctl1;2;0-1", consumer.committedMetadata(P0), "t1 and t2 go to the partition's next owner");
        assertTrue(consumer.closed());
        engine = null;
    }

    @Test
    void aDrainThatEndsDuringARebalanceCommitsOnceTheRebalanceIsDone() throws Exception {
        start(2, Duration.ofSeconds(5));
        consumer.add(0, 2, TaskType.BASH);
        await().atMost(WAIT).until(() -> attempts.started().size() == 2);
        consumer.rebalanceUntilRefused(2); // a worker joins just as this one leaves

        Thread closing = new Thread(engine::close);
        closing.start();
        attempts.finish("t0");
        attempts.finish("t1");
        closing.join(WAIT.toMillis());
        assertFalse(closing.isAlive());
        assertEquals(2L, consumer.committedOffset(P0), "both ran here: the partition's next owner must not run them");
        engine = null;
    }

    @Test
    void aDrainStopsAttemptsStillRunningAfterItsGraceAndCommitsThemOnceTheirReleaseIsReported() {
        start(1, Duration.ofMillis(300));
        attempts.blockUntilInterrupted();
        consumer.add(0, 1, TaskType.BASH);
        await().atMost(WAIT).until(() -> attempts.started().size() == 1);

        engine.close();
        assertTrue(attempts.interrupted().contains("t0"), "the attempt was stopped");
        assertEquals(1L, consumer.committedOffset(P0), "its release is reported: the coordinator runs it again");
        engine = null;
    }

    private static TaskDispatched dispatch(String task, TaskType type, Instant startBy) {
        return TaskDispatched.of(
                new AttemptId("run", task, 1),
                type,
                "true",
                Map.of(),
                Duration.ofMinutes(1),
                10_000,
                NOW,
                startBy,
                null);
    }

    /** A mock consumer that waits a little when there is nothing to return, instead of spinning. */
    private static final class PollingMockConsumer extends MockConsumer<String, byte[]> {

        private final Map<TopicPartition, OffsetAndMetadata> lastCommitted = new ConcurrentHashMap<>();

        PollingMockConsumer() {
            super("earliest");
        }

        @Override
        public synchronized ConsumerRecords<String, byte[]> poll(Duration timeout) {
            ConsumerRecords<String, byte[]> records = super.poll(timeout);
            if (records.isEmpty()) {
                try {
                    wait(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return records;
        }

        ConsumerRecord<String, byte[]> record(long offset, TaskDispatched task) {
            return new ConsumerRecord<>(TOPICS.dispatch(), 0, offset, task.attemptId(), Events.toJson(task));
        }

        /** {@code count} dispatches of tasks t{first}…, at offsets first… of partition 0. */
        synchronized void add(int first, int count, TaskType type) {
            for (int i = first; i < first + count; i++) {
                addRecord(record(i, dispatch("t" + i, type, NOW.plusSeconds(60))));
            }
        }

        /** The last offset committed for the partition, 0 when none was (also readable after close). */
        Long committedOffset(TopicPartition partition) {
            OffsetAndMetadata committed = lastCommitted.get(partition);
            return committed == null ? 0L : committed.offset();
        }

        String committedMetadata(TopicPartition partition) {
            OffsetAndMetadata committed = lastCommitted.get(partition);
            return committed == null ? null : committed.metadata();
        }

        /** The group rebalances until this many synchronous commits were refused; asynchronous ones fail meanwhile. */
        synchronized void rebalanceUntilRefused(int syncCommits) {
            refusedSyncCommits = syncCommits;
        }

        private int refusedSyncCommits;

        @Override
        public synchronized void commitAsync(
                Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            if (refusedSyncCommits > 0) {
                callback.onComplete(offsets, new RebalanceInProgressException("rebalancing"));
                return;
            }
            lastCommitted.putAll(offsets);
            super.commitAsync(offsets, callback);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (refusedSyncCommits > 0) {
                refusedSyncCommits--;
                throw new RebalanceInProgressException("rebalancing");
            }
            lastCommitted.putAll(offsets);
            super.commitSync(offsets);
        }

        @Override
        public void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, Duration timeout) {
            commitSync(offsets);
        }
    }

    /** Attempts that run until the test finishes them; optionally they block their slot thread until interrupted. */
    private static final class FakeAttempts implements AttemptLauncher {

        private record Running(Runnable slotFree, Runnable covered) {}

        private final List<String> started = new CopyOnWriteArrayList<>();
        private final List<String> noops = new CopyOnWriteArrayList<>();
        private final List<String> interrupted = new CopyOnWriteArrayList<>();
        private final Map<String, Running> running = new ConcurrentHashMap<>();
        private volatile boolean block;

        @Override
        public void runNoop(TaskDispatched task, String traceparent, Runnable covered) {
            noops.add(task.task());
            covered.run();
        }

        @Override
        public void run(
                TaskDispatched task, String traceparent, Instant slotFreeSince, Runnable slotFree, Runnable covered) {
            if (!block) {
                running.put(task.task(), new Running(slotFree, covered));
                started.add(task.task());
                return;
            }
            started.add(task.task());
            try {
                new CountDownLatch(1).await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                interrupted.add(task.task());
                slotFree.run(); // released: the slot is free, and the released report covers the record
                covered.run();
            }
        }

        /** The attempt's start is in Kafka: the coordinator watches it. */
        void cover(String task) {
            running.get(task).covered().run();
        }

        /** The attempt ends and its result is in Kafka. */
        void finish(String task) {
            Running attempt = running.remove(task);
            attempt.slotFree().run();
            attempt.covered().run();
        }

        int running() {
            return running.size();
        }

        void finishAll() {
            new ArrayList<>(running.keySet()).forEach(this::finish);
        }

        void blockUntilInterrupted() {
            block = true;
        }

        List<String> started() {
            return List.copyOf(started);
        }

        List<String> noops() {
            return List.copyOf(noops);
        }

        List<String> interrupted() {
            return List.copyOf(interrupted);
        }
    }
}
