package io.dagctl.worker.consume;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.event.WorkerEvent;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.TaskType;
import io.dagctl.worker.exec.ExecutionSettings;
import io.dagctl.worker.exec.Interpreters;
import io.dagctl.worker.exec.ProcessKeeper;
import io.dagctl.worker.exec.TaskExecutor;
import io.dagctl.worker.report.LogStreamer;
import io.dagctl.worker.report.ResultReporter;
import io.dagctl.worker.telemetry.AttemptTracer;
import io.dagctl.worker.telemetry.WorkerMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real process, reports through a mock producer that acknowledges or fails when the test says so: the dispatch
 * record is covered (its offset may pass) only by a report Kafka took.
 */
class AttemptRunnerTest {

    private final MockProducer<String, byte[]> results =
            new MockProducer<>(false, null, new StringSerializer(), new ByteArraySerializer());
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicInteger covered = new AtomicInteger();
    private final AtomicInteger slotsFreed = new AtomicInteger();
    private Path workRoot;
    private ProcessKeeper keeper;
    private TaskExecutor executor;
    private ResultReporter reporter;
    private LogStreamer logs;
    private AttemptRunner runner;

    @BeforeEach
    void setUp() throws Exception {
        workRoot = Files.createTempDirectory("dagctl-runner-test");
        Interpreters interpreters = new Interpreters(Optional.empty(), Optional.empty());
        keeper = ProcessKeeper.start(Duration.ofMillis(500), interpreters.bash(), TaskExecutor.setsidPath());
        executor = new TaskExecutor(
                interpreters,
                new ExecutionSettings(workRoot, 1024, Duration.ofMillis(500), false),
                threads,
                "w1",
                Clock.systemUTC(),
                keeper);
        reporter = new ResultReporter(results, "results", "dlq", "w1", Duration.ofMinutes(1), Clock.systemUTC());
        logs = new LogStreamer(
                new MockProducer<>(true, null, new StringSerializer(), new ByteArraySerializer()),
                "logs",
                1024,
                Clock.systemUTC());
        runner = runner(Duration.ZERO);
    }

    private AttemptRunner runner(Duration startReportDelay) {
        return new AttemptRunner(
                executor,
                reporter,
                logs,
                new WorkerMetrics(new SimpleMeterRegistry(), 1),
                new AttemptTracer(OpenTelemetry.noop(), "w1"),
                "w1",
                startReportDelay,
                Clock.systemUTC());
    }

    @AfterEach
    void tearDown() throws Exception {
        reporter.close();
        keeper.close();
        threads.shutdownNow();
        try (Stream<Path> left = Files.list(workRoot)) {
            for (Path spare : left.toList()) {
                Files.delete(spare); // the attempts' directories, emptied and kept for the next ones
            }
        }
        Files.delete(workRoot);
    }

    @Test
    void aStartAndAResultThatKafkaRefusedCoverNothing() throws Exception {
        Future<?> attempt = threads.submit(() ->
                runner.run(task("true"), null, Instant.now(), slotsFreed::incrementAndGet, covered::incrementAndGet));
        awaitSent(1);
        results.errorNext(new TimeoutException("start not acknowledged"));
        attempt.get(30, TimeUnit.SECONDS);
        awaitSent(2);
        results.errorNext(new TimeoutException("result not acknowledged"));

        assertEquals(1, slotsFreed.get(), "the slot is free: the process ended");
        assertEquals(0, covered.get(), "nothing reached Kafka: the record stays uncommitted and is taken again");
        assertEquals(List.of("TaskStarted", "TaskFinished"), sentTypes());
    }

    @Test
    void theFirstReportKafkaTookCoversTheRecordOnce() throws Exception {
        Future<?> attempt = threads.submit(() ->
                runner.run(task("true"), null, Instant.now(), slotsFreed::incrementAndGet, covered::incrementAndGet));
        awaitSent(1);
        results.errorNext(new TimeoutException("start not acknowledged"));
        attempt.get(30, TimeUnit.SECONDS);
        assertEquals(0, covered.get());
        awaitSent(2);
        results.completeNext();
        assertEquals(1, covered.get(), "the result is in Kafka");
    }

    @Test
    void anAcknowledgedStartCoversTheRecordWhileTheTaskStillRuns() throws Exception {
        Future<?> attempt = threads.submit(() -> runner.run(
                task("sleep 2"), null, Instant.now(), slotsFreed::incrementAndGet, covered::incrementAndGet));
        awaitSent(1);
        results.completeNext();
        assertEquals(1, covered.get(), "the coordinator watches the attempt from its start on");
        assertFalse(attempt.isDone(), "the task still runs");
        attempt.get(30, TimeUnit.SECONDS);
        awaitSent(2);
        results.completeNext();
        assertEquals(1, covered.get(), "covered once, not again by the result");
    }

    @Test
    void anAttemptThatEndsWithinTheStartReportDelayIsReportedByItsResultAlone() throws Exception {
        runner = runner(Duration.ofSeconds(1));
        Instant before = Instant.now();
        Future<?> attempt = threads.submit(() ->
                runner.run(task("true"), null, Instant.now(), slotsFreed::incrementAndGet, covered::incrementAndGet));
        attempt.get(30, TimeUnit.SECONDS);
        awaitSent(1);
        results.completeNext();

        TaskFinished result =
                (TaskFinished) Events.fromJson(results.history().get(0).value(), WorkerEvent.class);
        assertFalse(result.startedAt().isBefore(before), "the result carries the start time");
        assertEquals(1, covered.get(), "the result covers the record");
        Thread.sleep(1_500); // past the delay: a start that was not withdrawn would have gone out by now
        assertEquals(List.of("TaskFinished"), sentTypes(), "no start report: the result says it all");
        assertTrue(reporter.runningAttempts().isEmpty(), "no heartbeats for it either");
    }

    @Test
    void aFlushSendsTheStartsHeldBackAtOnce() throws Exception {
        runner = runner(Duration.ofSeconds(30));
        Future<?> attempt = threads.submit(() -> runner.run(
                task("sleep 2"), null, Instant.now(), slotsFreed::incrementAndGet, covered::incrementAndGet));
        // a revocation flushes: what runs here must be covered before the partition's records are committed
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            reporter.flush();
            return !results.history().isEmpty();
        });
        assertEquals(List.of("TaskStarted"), sentTypes());
        assertEquals(1, covered.get());
        attempt.get(30, TimeUnit.SECONDS);
    }

    @Test
    void anAttemptStillRunningAfterTheStartReportDelayIsReportedStartedThenFinished() throws Exception {
        runner = runner(Duration.ofMillis(200));
        Future<?> attempt = threads.submit(() -> runner.run(
                task("sleep 2"), null, Instant.now(), slotsFreed::incrementAndGet, covered::incrementAndGet));
        awaitSent(1);
        assertFalse(attempt.isDone(), "the start went out while the task runs");
        results.completeNext();
        assertEquals(1, covered.get(), "the coordinator watches the attempt from its start on");
        attempt.get(30, TimeUnit.SECONDS);
        awaitSent(2);
        results.completeNext();
        assertEquals(List.of("TaskStarted", "TaskFinished"), sentTypes());
    }

    private void awaitSent(int count) {
        await().atMost(Duration.ofSeconds(30)).until(() -> results.history().size() >= count);
    }

    private List<String> sentTypes() {
        return results.history().stream()
                .map(r ->
                        Events.fromJson(r.value(), WorkerEvent.class).getClass().getSimpleName())
                .toList();
    }

    private static TaskDispatched task(String command) {
        return TaskDispatched.of(
                new AttemptId("run", "t", 1),
                TaskType.BASH,
                command,
                Map.of(),
                Duration.ofMinutes(1),
                10_000,
                Instant.now(),
                null,
                null);
    }
}
