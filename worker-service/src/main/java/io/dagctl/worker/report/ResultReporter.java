package io.dagctl.worker.report;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.TaskHeartbeat;
import io.dagctl.core.event.TaskStarted;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.event.WorkerEvent;
import io.dagctl.worker.telemetry.WorkerMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends what this worker knows about its attempts to the results topic, keyed by run id (so they reach the run's
 * owner in order), and a heartbeat for every running attempt at a fixed interval.
 */
public final class ResultReporter implements ResultOutbox, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ResultReporter.class.getName());

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final String dlqTopic;
    private final String workerId;
    private final Clock clock;
    private final Map<String, String> running = new ConcurrentHashMap<>();
    /** Start reports held back, by attempt id. */
    private final Map<String, StartReport> heldBack = new ConcurrentHashMap<>();

    private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
        Thread t = new Thread(r, "heartbeats");
        t.setDaemon(true);
        return t;
    });

    /** @param clientProperties the Kafka settings every client of the worker shares (servers, security) */
    public ResultReporter(
            Map<String, Object> clientProperties,
            String topic,
            String dlqTopic,
            String workerId,
            Duration heartbeatInterval,
            Clock clock) {
        this(producer(clientProperties, workerId), topic, dlqTopic, workerId, heartbeatInterval, clock);
    }

    /** Over a producer made elsewhere (a test's mock); closing the reporter closes it. */
    public ResultReporter(
            Producer<String, byte[]> producer,
            String topic,
            String dlqTopic,
            String workerId,
            Duration heartbeatInterval,
            Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.dlqTopic = dlqTopic;
        this.workerId = workerId;
        this.clock = clock;
        long every = heartbeatInterval.toMillis();
        // most start reports of short tasks are withdrawn: drop them from the queue at once, not when they were due
        timer.setRemoveOnCancelPolicy(true);
        timer.scheduleAtFixedRate(this::beat, every, every, TimeUnit.MILLISECONDS);
    }

    private static Producer<String, byte[]> producer(Map<String, Object> clientProperties, String workerId) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordLimits.MAX_RECORD_BYTES + 64 * 1024);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "dagctl-worker-" + workerId + "-results");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /**
     * Sends the start after {@code delay} (at once for zero), and heartbeats from then on, unless the attempt's end
     * {@linkplain StartReport#withdraw withdraws} it first.
     */
    public StartReport started(String runId, String attemptId, Instant at, Duration delay) {
        StartReport start = new StartReport(
                () -> {
                    running.put(attemptId, runId);
                    return send(runId, TaskStarted.of(attemptId, workerId, at));
                },
                () -> heldBack.remove(attemptId));
        if (delay.isZero() || delay.isNegative()) {
            start.send();
        } else {
            heldBack.put(attemptId, start);
            start.dueAt(timer.schedule(start::send, delay.toNanos(), TimeUnit.NANOSECONDS));
        }
        return start;
    }

    /** Sends the result; the future completes when Kafka has it (or failed to take it). */
    public CompletableFuture<Void> finished(String runId, WorkerEvent finished) {
        running.remove(finished.attemptId());
        return send(runId, finished);
    }

    /** Sends a dispatch record this worker cannot read to the dead-letter topic, with the reason in a header. */
    @Override
    public void deadLetter(String key, byte[] value, String sourceTopic, String reason) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(dlqTopic, key, value);
        record.headers().add(WireHeaders.DLQ_REASON, String.valueOf(reason).getBytes(StandardCharsets.UTF_8));
        record.headers().add(WireHeaders.DLQ_SOURCE_TOPIC, sourceTopic.getBytes(StandardCharsets.UTF_8));
        producer.send(record);
    }

    /**
     * Sends the starts held back now (a revocation or a drain waits for them), then waits until every report sent so
     * far is acknowledged (or failed).
     */
    @Override
    public void flush() {
        heldBack.values().forEach(StartReport::send);
        producer.flush();
    }

    /** Exports this reporter's producer metrics. */
    public void instrument(WorkerMetrics metrics) {
        metrics.bindProducer(producer);
    }

    public Set<String> runningAttempts() {
        return Set.copyOf(running.keySet());
    }

    private void beat() {
        running.forEach((attemptId, runId) -> send(runId, TaskHeartbeat.of(attemptId, workerId, clock.instant())));
    }

    private CompletableFuture<Void> send(String runId, WorkerEvent event) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        producer.send(new ProducerRecord<>(topic, runId, Events.toJson(event)), (metadata, error) -> {
            if (error != null) {
                LOG.log(
                        System.Logger.Level.ERROR,
                        "could not report {0} for {1}: {2}",
                        event.getClass().getSimpleName(),
                        event.attemptId(),
                        error.getMessage());
                done.completeExceptionally(error);
            } else {
                done.complete(null);
            }
        });
        return done;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        producer.close(Duration.ofSeconds(10));
    }
}
