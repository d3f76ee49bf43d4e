package io.dagctl.coordinator.engine;

import io.dagctl.core.event.DagCommand;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.Topics;
import java.time.Clock;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The owner of the stored DAGs of its partition: applies the commands of the DAGs topic and writes the runs they start
 * to the commands topic, in the same transaction as the DAG's new state (a trigger replayed after a crash is neither
 * lost nor doubled). A record it cannot read goes to the dead-letter topic.
 */
final class DagProcessor implements Processor<String, byte[], String, byte[]> {

    static final String COMMANDS_SINK = "dag-commands-sink";
    static final String DLQ_SINK = "dag-dlq-sink";

    private final Topics topics;
    private final Clock clock;
    private final RunObserver observer;
    private ProcessorContext<String, byte[]> context;
    private DagStateMachine machine;

    DagProcessor(Topics topics, Clock clock, RunObserver observer) {
        this.topics = topics;
        this.clock = clock;
        this.observer = observer;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        machine = new DagStateMachine(new StreamsDagStore(
                context.getStateStore(StoreNames.DAGS), context.getStateStore(StoreNames.DAG_VERSIONS)));
    }

    @Override
    public void process(Record<String, byte[]> record) {
        try {
            if (record.value() == null) {
                throw new MalformedEventException("record without a value");
            }
            DagCommand command = Events.fromJson(record.value(), DagCommand.class);
            if (!command.name().equals(record.key())) {
                throw new MalformedEventException("the record is about DAG " + command.name() + " but keyed "
                        + record.key() + "; its key must be the DAG's name");
            }
            machine.apply(command).ifPresent(this::submit);
        } catch (MalformedEventException | IllegalArgumentException | WorkUnit.TooLargeException e) {
            observer.deadLetter(topics.dags());
            context.forward(
                    DeadLetters.letter(
                            record.key(),
                            record.value(),
                            record.headers(),
                            topics.dags(),
                            topics.dlq(),
                            e.getMessage(),
                            clock.millis()),
                    DLQ_SINK);
        }
    }

    private void submit(RunSubmitted run) {
        byte[] json = Events.toJson(run);
        WorkUnit.requireFits("the run " + run.runId() + " of DAG " + run.dag().name(), json);
        context.forward(new Record<>(run.runId(), json, clock.millis()), COMMANDS_SINK);
        context.commit(); // the run starts when this transaction commits: ask for it now
    }

    /** The partition's DAG stores; every value is checked to fit a record before it is written. */
    private record StreamsDagStore(KeyValueStore<String, byte[]> dags, KeyValueStore<String, byte[]> versions)
            implements DagStore {

        @Override
        public DagEntry entry(String name) {
            byte[] json = dags.get(name);
            return json == null ? null : Events.fromJson(json, DagEntry.class);
        }

        @Override
        public void put(DagEntry entry) {
            byte[] json = Events.toJson(entry);
            WorkUnit.requireFits("the entry of DAG " + entry.name(), json);
            dags.put(entry.name(), json);
        }

        @Override
        public DagVersionEntry version(String name, int version) {
            byte[] json = versions.get(StoreNames.dagVersionKey(name, version));
            return json == null ? null : Events.fromJson(json, DagVersionEntry.class);
        }

        @Override
        public void put(DagVersionEntry version) {
            byte[] json = Events.toJson(version);
            WorkUnit.requireFits("version " + version.version() + " of DAG " + version.name(), json);
            versions.put(StoreNames.dagVersionKey(version.name(), version.version()), json);
        }
    }
}
