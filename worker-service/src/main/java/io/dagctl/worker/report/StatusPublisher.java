package io.dagctl.worker.report;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.WorkerStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends this worker's status (slots, busy slots) to the compacted workers topic every few seconds, and a tombstone
 * when it stops: the coordinators' cluster page reads it. Nothing depends on it for correctness; a send that fails
 * is tried again at the next tick.
 */
public final class StatusPublisher implements AutoCloseable {

    public static final Duration EVERY = Duration.ofSeconds(5);
    private static final System.Logger LOG = System.getLogger(StatusPublisher.class.getName());

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final String workerId;
    private final int slots;
    private final List<String> queues;
    private final IntSupplier busy;
    private final Clock clock;
    private final Instant startedAt;
    private final String host = hostName();
    private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "worker-status");
        t.setDaemon(true);
        return t;
    });

    public StatusPublisher(
            Map<String, Object> clientProperties,
            String topic,
            String workerId,
            int slots,
            List<String> queues,
            IntSupplier busy,
            Clock clock) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "dagctl-worker-status-" + workerId);
        props.put(ProducerConfig.ACKS_CONFIG, "1");
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.workerId = workerId;
        this.slots = slots;
        this.queues = List.copyOf(queues);
        this.busy = busy;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public StatusPublisher start() {
        ticks.scheduleAtFixedRate(this::send, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void send() {
        try {
            WorkerStatus status =
                    WorkerStatus.of(workerId, host, slots, busy.getAsInt(), startedAt, clock.instant(), queues);
            producer.send(new ProducerRecord<>(topic, workerId, Events.toJson(status)));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "worker status not sent: {0}", e.getMessage());
        }
    }

    @Override
    public void close() {
        ticks.shutdownNow();
        try {
            // a status being sent now must not land after the tombstone and bring this worker back
            ticks.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            producer.send(new ProducerRecord<>(topic, workerId, null));
            producer.flush();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "worker status tombstone not sent: {0}", e.getMessage());
        }
        producer.close(Duration.ofSeconds(2));
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }
}
