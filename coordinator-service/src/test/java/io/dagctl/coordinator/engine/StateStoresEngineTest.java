package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.coordinator.query.RunLookup;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.event.Topics;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.parse.DagParser;
import io.dagctl.core.report.RunReport;
import io.dagctl.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The engine on a real broker with each kind of state store: a run of no-op tasks, reported done by a stand-in worker,
 * goes to its end either way, and only the persistent kind leaves RocksDB stores in the state directory.
 */
class StateStoresEngineTest {

    private static final String DAG = """
            name: stores
            tasks:
              - {name: a, type: noop}
              - {name: b, type: noop, dependencies: [a]}
              - {name: c, type: noop, dependencies: [a]}
              - {name: d, type: noop, dependencies: [b, c]}
            """;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.startSingleNode();
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void inMemoryStoresRunADagAndOpenNoRocksDb() throws Exception {
        Path stateDir = runToTheEnd(CoordinatorConfig.StateStores.IN_MEMORY, "heap");
        assertEquals(0, rocksDbDirectories(stateDir), "RocksDB stores under " + stateDir);
    }

    @Test
    void persistentStoresKeepTheRunInRocksDb() throws Exception {
        Path stateDir = runToTheEnd(CoordinatorConfig.StateStores.PERSISTENT, "disk");
        assertTrue(rocksDbDirectories(stateDir) > 0, "no RocksDB store under " + stateDir);
    }

    /** Submits the DAG to an engine with {@code stores} and waits for the run's success; returns its state directory. */
    private static Path runToTheEnd(CoordinatorConfig.StateStores stores, String name) throws Exception {
        Path stateDir = Files.createTempDirectory("stores-" + name);
        CoordinatorConfig defaults = CoordinatorConfig.localDefaults(kafka.bootstrapServers(), stateDir);
        CoordinatorConfig config = new CoordinatorConfig(
                        new CoordinatorConfig.Connection(
                                kafka.bootstrapServers(),
                                Map.of(),
                                "stores-" + name,
                                "127.0.0.1:8080",
                                stateDir,
                                new Topics("stores-" + name)),
                        defaults.partitioning(),
                        defaults.timing(),
                        defaults.limits(),
                        defaults.retention())
                .withStateStores(stores);
        try (CoordinatorEngine engine =
                new CoordinatorEngine(config, new EngineTelemetry(new RunObserver() {}, new OwnedWork(), s -> {}))) {
            engine.start();
            String runId = "run-" + name;
            try (KafkaProducer<String, byte[]> producer = producer()) {
                RunSubmitted submitted =
                        RunSubmitted.of(runId, new DagParser().parse(DAG, "stores.yaml"), Instant.now());
                producer.send(new ProducerRecord<>(config.topics().commands(), runId, Events.toJson(submitted)))
                        .get();
            }
            try (KafkaConsumer<String, byte[]> dispatches = new KafkaConsumer<>(
                            Map.of(
                                    "bootstrap.servers",
                                    kafka.bootstrapServers(),
                                    "group.id",
                                    "worker-" + name,
                                    "auto.offset.reset",
                                    "earliest",
                                    "isolation.level",
                                    "read_committed"),
                            new StringDeserializer(),
                            new ByteArrayDeserializer());
                    KafkaProducer<String, byte[]> results = producer()) {
                dispatches.subscribe(List.of(config.topics().dispatch()));
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                RunStatus status = null;
                while (System.nanoTime() < deadline && status != RunStatus.SUCCESS) {
                    // a worker that runs every no-op it is given at once
                    for (ConsumerRecord<String, byte[]> record : dispatches.poll(Duration.ofMillis(50))) {
                        TaskDispatched d = Events.fromJson(record.value(), TaskDispatched.class);
                        Instant now = Instant.now();
                        results.send(new ProducerRecord<>(
                                config.topics().results(),
                                d.runId(),
                                Events.toJson(TaskFinished.of(
                                        d.attemptId(), "w1", 0, Outcome.SUCCEEDED, "", "", now, now, null))));
                    }
                    if (engine.queries().lookup(runId) instanceof RunLookup.Found<RunReport> found) {
                        status = found.value().status();
                    }
                }
                assertEquals(RunStatus.SUCCESS, status, "the run of " + name + " stores");
            }
        }
        return stateDir;
    }

    private static KafkaProducer<String, byte[]> producer() {
        return new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers()),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    private static long rocksDbDirectories(Path stateDir) throws Exception {
        try (Stream<Path> paths = Files.walk(stateDir)) {
            return paths.filter(p -> p.getFileName().toString().equals("rocksdb"))
                    .count();
        }
    }
}
