package io.dagctl.coordinator.engine;

import io.dagctl.core.event.DagCommand;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.event.PoolCommand;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.event.TaskCancelRequested;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.Topics;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.event.WorkerEvent;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Random;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The coordinator's one processor: reads commands and worker results of the runs in its partition, applies them to
 * the state machine, and fires due timers from a wall-clock punctuator. A record it cannot read, or that the state
 * machine could not apply, goes to the dead-letter topic with the reason, and processing goes on.
 */
final class RunProcessor implements Processor<String, byte[], String, byte[]> {

    static final String DISPATCH_SINK = "dispatch-sink";
    static final String EVENTS_SINK = "events-sink";
    static final String CONTROL_SINK = "control-sink";
    static final String DLQ_SINK = "dlq-sink";
    static final String DAGS_SINK = "dags-sink";
    /** Runs of a partition from before the run index that one timer tick indexes. */
    private static final int INDEXED_PER_TICK = 2_000;
    /** A record processed longer ago than this means the partition is idle, not behind. */
    private static final long IDLE_AFTER_MS = 1_000;

    private final Topics topics;
    private final CoordinatorConfig config;
    private final Clock clock;
    private final RunObserver observer;
    private final OwnedWork ownedWork;
    private final CommitPacer pacer;
    private final DispatchTopics dispatchTopics;
    /** How long the record being processed waited between its timestamp and its processing; 0 outside {@link #process}. */
    private long inputAgeMs;

    private final PartitionWork work = new PartitionWork();
    private ProcessorContext<String, byte[]> context;
    private RunStateMachine machine;
    private int partition;
    private long lastResultProcessedAt = Long.MIN_VALUE;
    private long lastResultLagMs;
    /** When this instance was given the partition (this processor was made for it). */
    private long assignedAt;

    RunProcessor(
            CoordinatorConfig config,
            Clock clock,
            RunObserver observer,
            OwnedWork ownedWork,
            CommitPacer pacer,
            DispatchTopics dispatchTopics) {
        this.dispatchTopics = dispatchTopics;
        this.topics = config.topics();
        this.config = config;
        this.clock = clock;
        this.observer = observer;
        this.ownedWork = ownedWork;
        this.pacer = pacer;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        KeyValueStore<String, byte[]> runs = context.getStateStore(StoreNames.RUNS);
        KeyValueStore<String, byte[]> tasks = context.getStateStore(StoreNames.TASKS);
        KeyValueStore<String, byte[]> index = context.getStateStore(StoreNames.RUN_INDEX);
        StreamsRunStateStore store = new StreamsRunStateStore(
                runs, tasks, context.getStateStore(StoreNames.TIMERS), new RunIndex(index), work);
        store.countWork();
        partition = context.taskId().partition();
        assignedAt = clock.millis();
        ownedWork.owned(partition, work);
        machine = new RunStateMachine(
                store,
                new ForwardingOutput(),
                observer,
                clock,
                new LagProbe() {
                    @Override
                    public Duration behind(Instant now) {
                        return resultsBehind(now);
                    }

                    @Override
                    public Instant readingSince() {
                        return Instant.ofEpochMilli(assignedAt);
                    }
                },
                RunStateMachine.Settings.of(config, new Random(), dispatchTopics));
        context.schedule(config.timing().timerTick(), PunctuationType.WALL_CLOCK_TIME, now -> {
            store.buildIndex(INDEXED_PER_TICK);
            machine.fireDueTimers();
            commitIfWorkWasLeft();
        });
        RunRetention retention = new RunRetention(
                runs,
                tasks,
                index,
                context.getStateStore(StoreNames.TIMERS),
                config.retention(),
                config.partitioning().runPartitions());
        context.schedule(
                config.retention().sweepEvery(),
                PunctuationType.WALL_CLOCK_TIME,
                now -> retention.sweep(clock.instant()));
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        boolean result = topic.equals(topics.results());
        long now = clock.millis();
        inputAgeMs = Math.max(0, now - record.timestamp());
        if (result) {
            lastResultProcessedAt = now;
            lastResultLagMs = inputAgeMs;
        }
        try {
            if (record.value() == null) {
                throw new MalformedEventException("record without a value");
            }
            if (result) {
                WorkerEvent event = Events.fromJson(record.value(), WorkerEvent.class);
                requireKey(record, event.attempt().runId());
                machine.apply(event);
            } else {
                RunCommand command = Events.fromJson(record.value(), RunCommand.class);
                requireKey(record, command.runId());
                machine.apply(command);
            }
        } catch (MalformedEventException e) {
            deadLetter(record.key(), record.value(), record.headers(), topic, e.getMessage());
        } catch (RunStateMachine.NotAppliedException e) {
            deadLetter(record.key(), record.value(), record.headers(), topic, "not applied: " + e.getMessage());
        } finally {
            inputAgeMs = 0; // a timer's output has no input that waited
        }
        commitIfWorkWasLeft();
    }

    /** A run's records must be keyed by its id: only then do they reach the partition, and instance, that owns it. */
    private static void requireKey(Record<String, byte[]> record, String runId) {
        if (!runId.equals(record.key())) {
            throw new MalformedEventException(
                    "the record is about run " + runId + " but keyed " + record.key() + "; its key must be the run id");
        }
    }

    /**
     * How far behind this partition's results are processed: the age of the last one when it was processed, as long
     * as that was within the last second (an idle partition is not behind); up to a lease while none was read since
     * the partition came here (its backlog may hold the heartbeats sent while nobody read them).
     */
    private Duration resultsBehind(Instant now) {
        if (lastResultProcessedAt < assignedAt) {
            // nothing read since the partition came here: for one lease, assume it may be up to a lease behind; after
            // that a partition that still gave nothing has no backlog (its workers are gone): it is idle
            long lease = config.timing().attempts().lease().toMillis();
            return now.toEpochMilli() - assignedAt < lease ? Duration.ofMillis(lease) : Duration.ZERO;
        }
        boolean recent = now.toEpochMilli() - lastResultProcessedAt < IDLE_AFTER_MS;
        return recent ? Duration.ofMillis(lastResultLagMs) : Duration.ZERO;
    }

    /** Work was left for later because a unit's budget ran out: close this transaction soon rather than grow it. */
    private void commitIfWorkWasLeft() {
        if (machine.takeBudgetExhausted()) {
            context.commit();
        }
    }

    @Override
    public void close() {
        ownedWork.released(partition, work);
    }

    /** Sends the state machine's output to the sinks; Kafka Streams writes it in the running transaction. */
    private final class ForwardingOutput implements RunOutput {
        @Override
        public void dispatch(TaskDispatched dispatched, byte[] json) {
            RecordHeaders headers = new RecordHeaders();
            if (dispatched.traceparent() != null) {
                headers.add(WireHeaders.TRACEPARENT, dispatched.traceparent().getBytes(StandardCharsets.US_ASCII));
            }
            if (dispatched.queue() != null) {
                headers.add(WireHeaders.QUEUE, dispatched.queue().getBytes(StandardCharsets.US_ASCII));
            }
            context.forward(new Record<>(dispatched.attemptId(), json, clock.millis(), headers), DISPATCH_SINK);
            commitSoon();
        }

        @Override
        public void event(RunEvent event, byte[] json) {
            context.forward(new Record<>(event.runId(), json, clock.millis()), EVENTS_SINK);
        }

        @Override
        public void cancel(TaskCancelRequested cancel, byte[] json) {
            context.forward(new Record<>(cancel.attemptId(), json, clock.millis()), CONTROL_SINK);
            commitSoon();
        }

        @Override
        public void tellDagOwner(DagCommand command, byte[] json) {
            context.forward(new Record<>(command.name(), json, clock.millis()), DAGS_SINK);
            if (command instanceof PoolCommand) {
                commitSoon(); // a task waits for its slot, or for the slot another attempt gave back
            }
        }

        @Override
        public void deadLetter(String key, byte[] value, String source, String reason) {
            RunProcessor.this.deadLetter(key, value, new RecordHeaders(), source, reason);
        }

        /** Workers see this output only once it is committed: ask for that now rather than at the commit interval. */
        private void commitSoon() {
            if (pacer.urgentOutput(System.nanoTime(), inputAgeMs)) {
                context.commit();
            }
        }
    }

    private void deadLetter(String key, byte[] value, Headers original, String source, String reason) {
        observer.deadLetter(source);
        context.forward(
                DeadLetters.letter(key, value, original, source, topics.dlq(), reason, clock.millis()), DLQ_SINK);
    }
}
