package io.dagctl.coordinator.cluster;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.event.WorkerStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The workers as their status records on the compacted workers topic say, read from its start by a consumer of its
 * own (no group: every coordinator keeps the whole, small, directory). A worker's record is replaced by its next one
 * and removed by its tombstone.
 */
public final class WorkerDirectory implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WorkerDirectory.class.getName());

    /** A worker's last status and when this coordinator received it (its own clock, not the worker's). */
    public record Seen(WorkerStatus status, Instant receivedAt) {}

    /**
     * A worker silent this long (four of its five-second statuses missed) has stopped without its tombstone: still
     * listed, but it serves no queue.
     */
    public static final Duration SILENT_AFTER = Duration.ofSeconds(20);

    /** A worker silent this long is dropped from the directory (killed without its tombstone). */
    static final Duration FORGET_AFTER = Duration.ofMinutes(10);

    private final Map<String, Seen> workers = new ConcurrentHashMap<>();
    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final Thread thread;
    private volatile boolean running = true;
    /** Whether it has read the topic up to where it ended when reading began: before that, it knows too little. */
    private volatile boolean caughtUp;

    public WorkerDirectory(Map<String, Object> clientProperties, String topic) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "dagctl-coordinator-workers");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.topic = topic;
        this.thread = new Thread(this::run, "worker-directory");
        this.thread.setDaemon(true);
    }

    public WorkerDirectory start() {
        thread.start();
        return this;
    }

    /** Every worker heard from in the last {@link #FORGET_AFTER}, by id. */
    public List<Seen> workers() {
        Instant forget = Instant.now().minus(FORGET_AFTER);
        workers.values().removeIf(seen -> seen.receivedAt().isBefore(forget));
        List<Seen> all = new ArrayList<>(workers.values());
        all.sort(Comparator.comparing(seen -> seen.status().workerId()));
        return all;
    }

    /** Whether it has read every status written before it started. */
    public boolean isCaughtUp() {
        return caughtUp;
    }

    /** How many workers that are not silent serve each queue. */
    public Map<String, Integer> workersPerQueue(Instant now) {
        Map<String, Integer> perQueue = new TreeMap<>();
        for (Seen seen : workers()) {
            if (!seen.receivedAt().isBefore(now.minus(SILENT_AFTER))) {
                seen.status().queues().forEach(queue -> perQueue.merge(queue, 1, Integer::sum));
            }
        }
        return perQueue;
    }

    private void run() {
        try {
            List<TopicPartition> partitions = List.of();
            while (running && partitions.isEmpty()) {
                partitions = consumer.partitionsFor(topic, Duration.ofSeconds(5)).stream()
                        .map(p -> new TopicPartition(topic, p.partition()))
                        .toList();
                if (partitions.isEmpty()) {
                    Thread.sleep(2000);
                }
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
                    apply(record);
                }
                if (!caughtUp) {
                    caughtUp = ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running) {
                LOG.log(System.Logger.Level.WARNING, "the workers directory stopped reading " + topic, e);
            }
        }
    }

    private void apply(ConsumerRecord<String, byte[]> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            workers.remove(record.key());
            return;
        }
        try {
            // a record read at start-up from the topic's history counts as received when it was written; one read after
            // that, now (a worker's clock that is behind must not make it look silent)
            Instant received = caughtUp
                    ? Instant.now()
                    : Instant.ofEpochMilli(Math.min(record.timestamp(), System.currentTimeMillis()));
            workers.put(record.key(), new Seen(Events.fromJson(record.value(), WorkerStatus.class), received));
        } catch (MalformedEventException e) {
            LOG.log(System.Logger.Level.DEBUG, "unreadable worker status for {0}", record.key());
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        consumer.close(Duration.ofSeconds(2));
    }
}
