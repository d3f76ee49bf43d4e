package io.dagctl.worker.consume;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.event.TaskCancelRequested;
import io.dagctl.worker.exec.TaskExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Every worker reads the whole control topic (no consumer group) and stops the attempts it is told to stop. It starts
 * a little in the past and remembers recent cancellations, so a dispatch of a cancelled attempt that reaches this
 * worker later is skipped instead of run.
 */
public final class ControlListener implements CancelledAttempts, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ControlListener.class.getName());
    private static final Duration LOOK_BACK = Duration.ofMinutes(15);
    private static final int REMEMBERED = 100_000;

    private final KafkaConsumer<String, byte[]> consumer;
    private final String topic;
    private final TaskExecutor executor;
    private final Set<String> recentlyCancelled =
            Collections.synchronizedSet(Collections.newSetFromMap(new LinkedHashMap<String, Boolean>() {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                    return size() > REMEMBERED;
                }
            }));
    private final Thread thread;
    private final Clock clock;
    private volatile boolean stopping;

    /** @param clientProperties the Kafka settings every client of the worker shares (servers, security) */
    public ControlListener(
            Map<String, Object> clientProperties, String topic, String clientId, TaskExecutor executor, Clock clock) {
        this.clock = clock;
        this.topic = topic;
        this.executor = executor;
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-control");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.thread = new Thread(this::listen, "control-listener");
        this.thread.setDaemon(true);
    }

    public void start() {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition()))
                .toList();
        consumer.assign(partitions);
        Map<TopicPartition, Long> since = new HashMap<>();
        long from = clock.instant().minus(LOOK_BACK).toEpochMilli();
        partitions.forEach(p -> since.put(p, from));
        Map<TopicPartition, OffsetAndTimestamp> offsets = consumer.offsetsForTimes(since);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        for (TopicPartition p : partitions) {
            OffsetAndTimestamp at = offsets.get(p);
            consumer.seek(p, at != null ? at.offset() : ends.get(p));
        }
        thread.start();
    }

    @Override
    public boolean wasCancelled(String attemptId) {
        return recentlyCancelled.contains(attemptId);
    }

    private void listen() {
        try {
            while (!stopping) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    handle(record);
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "the control listener failed; cancellations no longer reach this worker",
                    e);
        } finally {
            consumer.close(Duration.ofSeconds(5));
        }
    }

    private void handle(ConsumerRecord<String, byte[]> record) {
        try {
            TaskCancelRequested cancel = Events.fromJson(record.value(), TaskCancelRequested.class);
            recentlyCancelled.add(cancel.attemptId());
            if (executor.cancel(cancel.attemptId())) {
                LOG.log(System.Logger.Level.INFO, "stopped {0}: {1}", cancel.attemptId(), cancel.reason());
            }
        } catch (MalformedEventException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "unreadable control record at offset {0}: {1}",
                    record.offset(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        stopping = true;
        consumer.wakeup();
    }
}
