package io.dagctl.coordinator.engine;

import io.dagctl.core.event.DagCommand;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.Topics;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The owner of the stored DAGs of its partition: applies the commands of the DAGs topic, fires their schedules' ticks
 * from a wall-clock punctuator, and writes the run commands they cause to the commands topic, in the same transaction
 * as the DAGs' new state (a trigger or a tick replayed after a crash is neither lost nor doubled). A record it cannot
 * read goes to the dead-letter topic.
 */
final class DagProcessor implements Processor<String, byte[], String, byte[]> {

    static final String COMMANDS_SINK = "dag-commands-sink";
    static final String DLQ_SINK = "dag-dlq-sink";
    /** Scheduled DAGs whose ticks one punctuation handles at most; the rest are due at the next. */
    private static final int TICKS_PER_PUNCTUATION = 200;
    /** Runs one punctuation starts at most (one transaction); the DAGs past it are due again at once. */
    private static final int RUNS_PER_PUNCTUATION = 200;

    private static final System.Logger LOG = System.getLogger(DagProcessor.class.getName());

    private final Topics topics;
    private final Clock clock;
    private final RunObserver observer;
    private final Duration tick;
    private ProcessorContext<String, byte[]> context;
    private DagStateMachine machine;

    DagProcessor(Topics topics, Clock clock, RunObserver observer, Duration tick) {
        this.topics = topics;
        this.clock = clock;
        this.observer = observer;
        this.tick = tick;
    }

    @Override
    public void init(ProcessorContext<String, byte[]> context) {
        this.context = context;
        machine = new DagStateMachine(
                new StreamsDagStore(
                        context.getStateStore(StoreNames.DAGS),
                        context.getStateStore(StoreNames.DAG_VERSIONS),
                        context.getStateStore(StoreNames.DAG_TICKS)),
                observer);
        context.schedule(tick, PunctuationType.WALL_CLOCK_TIME, at -> fireDueTicks());
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
            send(machine.apply(command, clock.instant()));
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

    private void fireDueTicks() {
        try {
            send(machine.fireDueTicks(clock.instant(), TICKS_PER_PUNCTUATION, RUNS_PER_PUNCTUATION));
        } catch (RuntimeException e) {
            // an entry that cannot be read must not stop the owner; its DAG's schedule waits for a new apply
            LOG.log(Level.ERROR, "schedule ticks could not be handled", e);
            observer.scheduleTick("failed", Duration.ZERO);
        }
    }

    private void send(List<RunCommand> commands) {
        for (RunCommand command : commands) {
            byte[] json = Events.toJson(command);
            WorkUnit.requireFits("the command for run " + command.runId(), json);
            context.forward(new Record<>(command.runId(), json, clock.millis()), COMMANDS_SINK);
        }
        if (!commands.isEmpty()) {
            context.commit(); // the runs start when this transaction commits: ask for it now
        }
    }

    /** The partition's DAG stores; every value is checked to fit a record before it is written. */
    private record StreamsDagStore(
            KeyValueStore<String, byte[]> dags,
            KeyValueStore<String, byte[]> versions,
            KeyValueStore<String, byte[]> ticks)
            implements DagStore {

        private static final byte[] NOTHING = new byte[0];

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

        @Override
        public List<String> takeDueTicks(Instant now, int limit) {
            List<String> keys = new ArrayList<>();
            // keys sort by due time: everything up to now's key (any name) is due
            String upTo = StoreNames.dagTickKey(now, "\uffff");
            try (KeyValueIterator<String, byte[]> it = ticks.range(StoreNames.dagTickKey(Instant.EPOCH, ""), upTo)) {
                while (it.hasNext() && keys.size() < limit) {
                    KeyValue<String, byte[]> next = it.next();
                    keys.add(next.key);
                }
            }
            List<String> names = new ArrayList<>(keys.size());
            for (String key : keys) {
                ticks.delete(key);
                names.add(key.substring(key.indexOf('/') + 1));
            }
            return names;
        }

        @Override
        public void scheduleTick(String name, Instant at) {
            ticks.put(StoreNames.dagTickKey(at, name), NOTHING);
        }

        @Override
        public void cancelTick(String name, Instant at) {
            ticks.delete(StoreNames.dagTickKey(at, name));
        }
    }
}
