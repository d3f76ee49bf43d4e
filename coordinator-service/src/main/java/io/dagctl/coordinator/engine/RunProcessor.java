package io.dagctl.coordinator.engine;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.event.TaskCancelRequested;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.Topics;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.event.WorkerEvent;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Random;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * The coordinator's one processor: reads commands and worker results of the runs in its partition, applies them to
 * the state machine, and fires due timers from a wall-clock punctuator. A record it cannot read goes to the DLQ.
 */
final class RunProcessor implements Processor<String, byte[], String, byte[]> {

    static final String DISPATCH_SINK = "dispatch-sink";
    static final String EVENTS_SINK = "events-sink";
    static final String CONTROL_SINK = "control-sink";
    static final String DLQ_SINK = "dlq-sink";

    private static final System.Logger LOG = System.getLogger(RunProcessor.class.getName());

    private final Topics topics;
    private final CoordinatorConfig config;
    private final Clock clock;

    private final RunObserver observer;
    private final OwnedWork ownedWork;
    private final CommitPacer pacer;
    private final PartitionWork work = new PartitionWork();
    private ProcessorContext<String, byte[]> context;
    private RunStateMachine machine;
    private int partition;

    RunProcessor(CoordinatorConfig config, Clock clock, RunObserver observer, OwnedWork ownedWork, CommitPacer pacer) {
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
        StreamsRunStateStore store = new StreamsRunStateStore(
                context.getStateStore(StoreNames.RUNS),
                context.getStateStore(StoreNames.TASKS),
                context.getStateStore(StoreNames.TIMERS),
                work);
        store.countWork();
        partition = context.taskId().partition();
        ownedWork.owned(partition, work);
        machine = new RunStateMachine(
                store, new ForwardingOutput(), observer, clock, RunStateMachine.Settings.of(config, new Random()));
        context.schedule(config.timing().timerTick(), PunctuationType.WALL_CLOCK_TIME, now -> machine.fireDueTimers());
    }

    @Override
    public void process(Record<String, byte[]> record) {
        String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
        try {
            if (record.value() == null) {
                throw new MalformedEventException("record without a value");
            }
            if (topic.equals(topics.results())) {
                machine.apply(Events.fromJson(record.value(), WorkerEvent.class));
            } else {
                machine.apply(Events.fromJson(record.value(), RunCommand.class));
            }
        } catch (MalformedEventException | IllegalArgumentException e) {
            deadLetter(record, topic, e.getMessage());
        }
    }

    @Override
    public void close() {
        ownedWork.released(partition, work);
    }

    /** Sends the state machine's output to the sinks; Kafka Streams writes it in the running transaction. */
    private final class ForwardingOutput implements RunOutput {
        @Override
        public void dispatch(TaskDispatched dispatched) {
            RecordHeaders headers = new RecordHeaders();
            if (dispatched.traceparent() != null) {
                headers.add(WireHeaders.TRACEPARENT, dispatched.traceparent().getBytes(StandardCharsets.US_ASCII));
            }
            context.forward(
                    new Record<>(dispatched.attemptId(), Events.toJson(dispatched), clock.millis(), headers),
                    DISPATCH_SINK);
            commitSoon();
        }

        @Override
        public void event(RunEvent event) {
            context.forward(new Record<>(event.runId(), Events.toJson(event), clock.millis()), EVENTS_SINK);
        }

        @Override
        public void cancel(TaskCancelRequested cancel) {
            context.forward(new Record<>(cancel.attemptId(), Events.toJson(cancel), clock.millis()), CONTROL_SINK);
            commitSoon();
        }

        /** Workers see this output only once it is committed: ask for that now rather than at the commit interval. */
        private void commitSoon() {
            if (pacer.urgentOutput(System.nanoTime())) {
                context.commit();
            }
        }
    }

    private void deadLetter(Record<String, byte[]> record, String topic, String reason) {
        observer.deadLetter(topic);
        LOG.log(
                Level.WARNING,
                "record with key {0} from {1} sent to {2}: {3}",
                record.key(),
                topic,
                topics.dlq(),
                reason);
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        headers.add(WireHeaders.DLQ_REASON, String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        headers.add(WireHeaders.DLQ_SOURCE_TOPIC, topic.getBytes(StandardCharsets.UTF_8));
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers), DLQ_SINK);
    }
}
