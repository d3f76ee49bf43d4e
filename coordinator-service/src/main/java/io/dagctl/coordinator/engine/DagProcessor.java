package io.dagctl.coordinator.engine;

import io.dagctl.core.event.DagCommand;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.event.PoolCommand;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.Topics;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
    /**
     * Runs one punctuation starts at most; the DAGs past it are due again at once. A punctuation that reaches it (a
     * catch-up) asks for a commit, so that one transaction holds at most this many runs' commands.
     */
    private static final int RUNS_PER_PUNCTUATION = 200;

    private static final System.Logger LOG = System.getLogger(DagProcessor.class.getName());

    private final Topics topics;
    private final Clock clock;
    private final RunObserver observer;
    private final Duration tick;
    private final CommitPacer pacer;
    private ProcessorContext<String, byte[]> context;
    private DagStateMachine machine;
    private PoolStateMachine pools;

    DagProcessor(Topics topics, Clock clock, RunObserver observer, Duration tick, CommitPacer pacer) {
        this.topics = topics;
        this.clock = clock;
        this.observer = observer;
        this.tick = tick;
        this.pacer = pacer;
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
        pools = new PoolStateMachine(new StreamsPoolStore(context.getStateStore(StoreNames.POOLS)));
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
                throw new MalformedEventException("the record is about " + command.name() + " but keyed " + record.key()
                        + "; its key must be the DAG's name (a pool's: pool/<name>)");
            }
            boolean started = command instanceof PoolCommand
                    ? send(pools.apply(command, clock.instant()))
                    : send(machine.apply(command, clock.instant()));
            // a trigger's caller waits for its run: ask for the commit now, unless this record waited in a backlog
            if (started && pacer.urgentOutput(System.nanoTime(), Math.max(0, clock.millis() - record.timestamp()))) {
                context.commit();
            }
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
            List<RunCommand> runs = machine.fireDueTicks(clock.instant(), TICKS_PER_PUNCTUATION, RUNS_PER_PUNCTUATION);
            send(runs);
            if (runs.size() >= RUNS_PER_PUNCTUATION) {
                context.commit();
            }
        } catch (RuntimeException e) {
            // an entry that cannot be read must not stop the owner; its DAG's schedule waits for a new apply
            LOG.log(Level.ERROR, "schedule ticks could not be handled", e);
            observer.scheduleTick("failed", Duration.ZERO);
        }
    }

    /**
     * Writes the run commands; true when there were any. Ticks' runs go with the regular commit (at most one commit
     * interval later): asking for a commit after every punctuation that fired a tick made a commit per stream-thread
     * loop once thousands of DAGs' ticks were spread over their interval, and the thread spent its time committing.
     */
    private boolean send(List<RunCommand> commands) {
        for (RunCommand command : commands) {
            byte[] json = Events.toJson(command);
            WorkUnit.requireFits("the command for run " + command.runId(), json);
            context.forward(new Record<>(command.runId(), json, clock.millis()), COMMANDS_SINK);
        }
        return !commands.isEmpty();
    }

    /**
     * The partition's DAG stores; every value is checked to fit a record before it is written. Entries and versions
     * are also kept decoded in memory (write-through: this processor is the partition's only writer, and a new one,
     * with an empty cache, is made whenever its task is initialised again), so that a tick does not decode its DAG's
     * entry and version each time: with thousands of scheduled DAGs that decoding was most of the owner's work.
     */
    private static final class StreamsDagStore implements DagStore {

        private static final byte[] NOTHING = new byte[0];
        private static final int CACHED_ENTRIES = 50_000;
        /** Versions kept decoded, by the size of their JSON: a few large DAGs or many small ones. */
        private static final long CACHED_VERSION_BYTES = 64L * 1024 * 1024;
        /** Due timers are looked for from a little before the last one taken: older keys are tombstones. */
        private static final long SCAN_MARGIN_MS = 1_000;

        private final KeyValueStore<String, byte[]> dags;
        private final KeyValueStore<String, byte[]> versions;
        private final KeyValueStore<String, byte[]> ticks;
        private final Map<String, DagEntry> entries = lru(CACHED_ENTRIES);
        private final Map<String, CachedVersion> decodedVersions = new LinkedHashMap<>(1024, 0.75f, true);
        private long cachedVersionBytes;
        private Instant takenUpTo = Instant.EPOCH;

        StreamsDagStore(
                KeyValueStore<String, byte[]> dags,
                KeyValueStore<String, byte[]> versions,
                KeyValueStore<String, byte[]> ticks) {
            this.dags = dags;
            this.versions = versions;
            this.ticks = ticks;
        }

        private record CachedVersion(DagVersionEntry version, int jsonBytes) {}

        private static <V> Map<String, V> lru(int size) {
            return new LinkedHashMap<>(1024, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                    return size() > size;
                }
            };
        }

        @Override
        public DagEntry entry(String name) {
            DagEntry cached = entries.get(name);
            if (cached != null) {
                return cached;
            }
            byte[] json = dags.get(name);
            if (json == null) {
                return null;
            }
            DagEntry entry = Events.fromJson(json, DagEntry.class);
            entries.put(name, entry);
            return entry;
        }

        @Override
        public void put(DagEntry entry) {
            byte[] json = Events.toJson(entry);
            WorkUnit.requireFits("the entry of DAG " + entry.name(), json);
            dags.put(entry.name(), json);
            entries.put(entry.name(), entry);
        }

        @Override
        public DagVersionEntry version(String name, int version) {
            String key = StoreNames.dagVersionKey(name, version);
            CachedVersion cached = decodedVersions.get(key);
            if (cached != null) {
                return cached.version();
            }
            byte[] json = versions.get(key);
            if (json == null) {
                return null;
            }
            DagVersionEntry decoded = Events.fromJson(json, DagVersionEntry.class);
            decodedVersions.put(key, new CachedVersion(decoded, json.length));
            cachedVersionBytes += json.length;
            // bounded by size: a stored DAG may be 1.9 MiB
            Iterator<CachedVersion> eldest = decodedVersions.values().iterator();
            while (cachedVersionBytes > CACHED_VERSION_BYTES && eldest.hasNext()) {
                cachedVersionBytes -= eldest.next().jsonBytes();
                eldest.remove();
            }
            return decoded;
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
            // keys sort by due time: everything up to now's key (any name) is due; below the last one taken there
            // are only deleted keys, which a scan from the start would step over one by one until compaction
            String upTo = StoreNames.dagTickKey(now, "\uffff");
            String from = StoreNames.dagTickKey(takenUpTo.minusMillis(SCAN_MARGIN_MS), "");
            try (KeyValueIterator<String, byte[]> it = ticks.range(from, upTo)) {
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
            if (!keys.isEmpty()) {
                takenUpTo = StoreNames.dagTickDue(keys.get(keys.size() - 1));
            }
            return names;
        }

        @Override
        public void scheduleTick(String name, Instant at) {
            ticks.put(StoreNames.dagTickKey(at, name), NOTHING);
            if (at.isBefore(takenUpTo)) {
                takenUpTo = at; // never expected (ticks are set at now or later), but never skipped either
            }
        }

        @Override
        public void cancelTick(String name, Instant at) {
            ticks.delete(StoreNames.dagTickKey(at, name));
        }
    }
}
