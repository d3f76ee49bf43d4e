package io.dagctl.coordinator.engine;

import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.Topics;
import io.dagctl.core.event.WireHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * commands + results (co-partitioned by run id) → run processor (stores: runs, tasks, timers)
 * → dispatch | events | control | dlq | dags (a stored DAG's run ended); and, a sub-topology of its own, dags (keyed
 * by DAG name) → DAG processor (stores: dags, dag-versions, dag-ticks) → commands (the runs it starts or cancels) | dlq.
 */
public final class CoordinatorTopology {

    static final String COMMANDS_SOURCE = "commands-source";
    static final String RESULTS_SOURCE = "results-source";
    static final String PROCESSOR = "run-processor";
    static final String DAGS_SOURCE = "dags-source";
    static final String DAG_PROCESSOR = "dag-processor";
    /** Room for a record's key, headers and batch framing beyond its value. */
    static final int RECORD_OVERHEAD_BYTES = 64 * 1024;

    private CoordinatorTopology() {}

    public static Topology build(CoordinatorConfig config, Clock clock, RunObserver observer, OwnedWork ownedWork) {
        return build(config, clock, observer, ownedWork, DispatchTopics.NONE);
    }

    /** @param dispatchTopics makes a named queue's topic before its first dispatch */
    public static Topology build(
            CoordinatorConfig config,
            Clock clock,
            RunObserver observer,
            OwnedWork ownedWork,
            DispatchTopics dispatchTopics) {
        Topology topology = new Topology();
        CommitPacer pacer = new CommitPacer(
                config.timing().commits().dispatchGap(),
                config.timing().commits().interval(),
                System.nanoTime());
        topology.addSource(
                COMMANDS_SOURCE,
                new StringDeserializer(),
                new ByteArrayDeserializer(),
                config.topics().commands());
        topology.addSource(
                RESULTS_SOURCE,
                new StringDeserializer(),
                new ByteArrayDeserializer(),
                config.topics().results());
        topology.addProcessor(
                PROCESSOR,
                () -> new RunProcessor(config, clock, observer, ownedWork, pacer, dispatchTopics),
                COMMANDS_SOURCE,
                RESULTS_SOURCE);
        for (String store : new String[] {StoreNames.RUNS, StoreNames.TASKS, StoreNames.TIMERS, StoreNames.RUN_INDEX}) {
            topology.addStateStore(storeBuilder(store, config), PROCESSOR);
        }
        addRunSinks(topology, config);
        // the end of a stored DAG's run, to the DAG's owner (its schedule's overlap policy needs it)
        topology.addSink(
                RunProcessor.DAGS_SINK,
                config.topics().dags(),
                new StringSerializer(),
                new ByteArraySerializer(),
                PROCESSOR);
        addDagOwner(topology, config, clock, observer, pacer);
        return topology;
    }

    /** Stored DAGs: their commands, their owner, their stores, and the runs they start on the commands topic. */
    private static void addDagOwner(
            Topology topology, CoordinatorConfig config, Clock clock, RunObserver observer, CommitPacer pacer) {
        topology.addSource(
                DAGS_SOURCE,
                new StringDeserializer(),
                new ByteArrayDeserializer(),
                config.topics().dags());
        topology.addProcessor(
                DAG_PROCESSOR,
                () -> new DagProcessor(
                        config.topics(), clock, observer, config.timing().timerTick(), pacer),
                DAGS_SOURCE);
        topology.addStateStore(storeBuilder(StoreNames.DAGS, config), DAG_PROCESSOR);
        topology.addStateStore(storeBuilder(StoreNames.DAG_VERSIONS, config), DAG_PROCESSOR);
        topology.addStateStore(storeBuilder(StoreNames.DAG_TICKS, config), DAG_PROCESSOR);
        topology.addStateStore(storeBuilder(StoreNames.POOLS, config), DAG_PROCESSOR);
        topology.addSink(
                DagProcessor.COMMANDS_SINK,
                config.topics().commands(),
                new StringSerializer(),
                new ByteArraySerializer(),
                DAG_PROCESSOR);
        topology.addSink(
                DagProcessor.DLQ_SINK,
                config.topics().dlq(),
                new StringSerializer(),
                new ByteArraySerializer(),
                DAG_PROCESSOR);
    }

    // cached: an entry rewritten several times between commits (QUEUED, RUNNING, SUCCESS of a short task) reaches
    // the store (RocksDB or the heap) and its changelog once, and a timer set and cleared in between not at all
    private static StoreBuilder<KeyValueStore<String, byte[]>> storeBuilder(String store, CoordinatorConfig config) {
        KeyValueBytesStoreSupplier supplier =
                config.partitioning().stateStores() == CoordinatorConfig.StateStores.IN_MEMORY
                        ? Stores.inMemoryKeyValueStore(store)
                        : Stores.persistentKeyValueStore(store);
        return Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.ByteArray())
                .withCachingEnabled()
                .withLoggingEnabled(Map.of(
                        TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                        String.valueOf(RecordLimits.MAX_RECORD_BYTES + RECORD_OVERHEAD_BYTES)));
    }

    private static void addRunSinks(Topology topology, CoordinatorConfig config) {
        Topics topics = config.topics();
        // a dispatch goes to its queue's topic, named by a header (the value is not parsed again for it)
        TopicNameExtractor<String, byte[]> queueTopic = (key, value, context) -> {
            Header queue = context.headers().lastHeader(WireHeaders.QUEUE);
            return queue == null
                    ? topics.dispatch()
                    : topics.dispatch(new String(queue.value(), StandardCharsets.US_ASCII));
        };
        topology.addSink(
                RunProcessor.DISPATCH_SINK, queueTopic, new StringSerializer(), new ByteArraySerializer(), PROCESSOR);
        topology.addSink(
                RunProcessor.EVENTS_SINK,
                config.topics().events(),
                new StringSerializer(),
                new ByteArraySerializer(),
                PROCESSOR);
        topology.addSink(
                RunProcessor.CONTROL_SINK,
                config.topics().control(),
                new StringSerializer(),
                new ByteArraySerializer(),
                PROCESSOR);
        topology.addSink(
                RunProcessor.DLQ_SINK,
                config.topics().dlq(),
                new StringSerializer(),
                new ByteArraySerializer(),
                PROCESSOR);
    }
}
