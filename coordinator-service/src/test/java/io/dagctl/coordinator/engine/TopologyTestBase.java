package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.telemetry.CoordinatorMetrics;
import io.dagctl.coordinator.telemetry.ObserverPair;
import io.dagctl.coordinator.telemetry.PresetIdGenerator;
import io.dagctl.coordinator.telemetry.RunTracer;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.event.TaskStarted;
import io.dagctl.core.event.Topics;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.parse.DagParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The coordinator's real topology driven record by record with a hand-moved clock, with real metrics and tracer. */
abstract class TopologyTestBase {

    protected static final Instant START = Instant.parse("2026-11-26T12:00:00Z");
    protected static final Topics TOPICS = Topics.defaults();

    protected final MutableClock clock = new MutableClock(START);
    protected final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    protected final OwnedWork ownedWork = new OwnedWork();
    protected final InMemorySpanExporter spans = InMemorySpanExporter.create();
    protected final PresetIdGenerator ids = new PresetIdGenerator();
    protected SdkTracerProvider tracerProvider;
    protected TopologyTestDriver driver;
    protected TestInputTopic<String, byte[]> commands;
    protected TestInputTopic<String, byte[]> results;
    protected TestOutputTopic<String, byte[]> dispatch;
    protected TestOutputTopic<String, byte[]> dlq;
    protected TestOutputTopic<String, byte[]> events;
    protected TestOutputTopic<String, byte[]> control;

    @BeforeEach
    void setUp() throws Exception {
        Path stateDir = Files.createTempDirectory("coordinator-test");
        CoordinatorConfig config = config(stateDir);
        Properties props = new Properties();
        props.put("application.id", "test");
        props.put("bootstrap.servers", "unused:9092");
        props.put("state.dir", stateDir.toString());
        tracerProvider = SdkTracerProvider.builder()
                .setIdGenerator(ids)
                .addSpanProcessor(SimpleSpanProcessor.create(spans))
                .build();
        RunObserver observer = new ObserverPair(
                new CoordinatorMetrics(registry, ownedWork),
                new RunTracer(
                        OpenTelemetrySdk.builder()
                                .setTracerProvider(tracerProvider)
                                .build(),
                        ids,
                        new Random(7)));
        driver = new TopologyTestDriver(CoordinatorTopology.build(config, clock, observer, ownedWork), props, START);
        commands = driver.createInputTopic(TOPICS.commands(), new StringSerializer(), new ByteArraySerializer());
        results = driver.createInputTopic(TOPICS.results(), new StringSerializer(), new ByteArraySerializer());
        dispatch = driver.createOutputTopic(TOPICS.dispatch(), new StringDeserializer(), new ByteArrayDeserializer());
        dlq = driver.createOutputTopic(TOPICS.dlq(), new StringDeserializer(), new ByteArrayDeserializer());
        events = driver.createOutputTopic(TOPICS.events(), new StringDeserializer(), new ByteArrayDeserializer());
        control = driver.createOutputTopic(TOPICS.control(), new StringDeserializer(), new ByteArrayDeserializer());
    }

    protected CoordinatorConfig config(Path stateDir) {
        return CoordinatorConfig.localDefaults("unused:9092", stateDir);
    }

    @AfterEach
    void tearDown() {
        driver.close();
    }

    protected void submit(String runId, String yaml) throws Exception {
        DagSpec dag = new DagParser().parse(yaml, "test.yaml");
        commands.pipeInput(runId, Events.toJson(RunSubmitted.of(runId, dag, clock.instant())));
    }

    protected List<TaskDispatched> dispatched() {
        return dispatch.readValuesToList().stream()
                .map(v -> Events.fromJson(v, TaskDispatched.class))
                .toList();
    }

    protected void report(String runId, Object event) {
        results.pipeInput(runId, Events.toJson(event));
    }

    protected void succeed(TaskDispatched d) {
        report(d.runId(), TaskStarted.of(d.attemptId(), "w1", clock.instant()));
        report(
                d.runId(),
                TaskFinished.of(
                        d.attemptId(), "w1", 0, Outcome.SUCCEEDED, "ok", "", clock.instant(), clock.instant(), null));
    }

    /** The attempt started and succeeded, having written {@code outputs}. */
    protected void succeed(TaskDispatched d, Map<String, Object> outputs) {
        report(d.runId(), TaskStarted.of(d.attemptId(), "w1", clock.instant()));
        report(
                d.runId(),
                TaskFinished.of(
                                d.attemptId(),
                                "w1",
                                0,
                                Outcome.SUCCEEDED,
                                "",
                                "",
                                clock.instant(),
                                clock.instant(),
                                null)
                        .withOutputs(outputs));
    }

    protected void fail(TaskDispatched d) {
        report(d.runId(), TaskStarted.of(d.attemptId(), "w1", clock.instant()));
        report(
                d.runId(),
                TaskFinished.of(
                        d.attemptId(), "w1", 1, Outcome.FAILED, "", "boom", clock.instant(), clock.instant(), null));
    }

    protected void advance(Duration d) {
        clock.advance(d);
        driver.advanceWallClockTime(d);
    }

    protected TaskEntry task(String runId, String name) {
        KeyValueStore<String, byte[]> tasks = driver.getKeyValueStore(StoreNames.TASKS);
        return Events.fromJson(tasks.get(StoreNames.taskKey(runId, name)), TaskEntry.class);
    }

    protected RunEntry run(String runId) {
        KeyValueStore<String, byte[]> runs = driver.getKeyValueStore(StoreNames.RUNS);
        return Events.fromJson(runs.get(runId), RunEntry.class);
    }

    protected long count(String counter, String... tags) {
        var found = registry.find(counter).tags(tags).counter();
        return found == null ? 0 : (long) found.count();
    }
}
