package io.dagctl.coordinator.query;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.utils.Utils;

/**
 * Reads the records of one key from a keyed topic, from a point in time on: the partition is the one the default
 * partitioner chose for the key, so no other partition is read. Used for a run's events and an attempt's logs;
 * any coordinator instance can serve these, since they come from Kafka, not from a state store.
 */
public final class KeyedTopicReader {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Map<String, Object> clientProperties;

    /** @param clientProperties the Kafka settings every client of the coordinator starts from (servers, security) */
    public KeyedTopicReader(Map<String, Object> clientProperties) {
        this.clientProperties = Map.copyOf(clientProperties);
    }

    /**
     * Hands {@code onRecord} every record of {@code key} written at or after {@code since}, in order, until it returns
     * false. Without {@code follow} it also stops at the end of the partition as it was when reading began; with it, it
     * waits for more as long as {@code keepGoing} says so (asked at least every 200 ms, with true when the last poll
     * found nothing: the reader has caught up).
     */
    public void read(
            String topic,
            String key,
            Instant since,
            boolean follow,
            Predicate<Boolean> keepGoing,
            Predicate<ConsumerRecord<String, byte[]>> onRecord) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            int partitions = consumer.partitionsFor(topic).size();
            TopicPartition partition = new TopicPartition(
                    topic, Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions);
            consumer.assign(List.of(partition));
            OffsetAndTimestamp start = consumer.offsetsForTimes(Map.of(partition, since.toEpochMilli()))
                    .get(partition);
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            consumer.seek(partition, start != null ? start.offset() : end);
            boolean caughtUp = false;
            while (keepGoing.test(caughtUp)) {
                if (!follow && consumer.position(partition) >= end) {
                    return;
                }
                var records = consumer.poll(POLL);
                caughtUp = records.isEmpty();
                for (ConsumerRecord<String, byte[]> record : records) {
                    if (!follow && record.offset() >= end) {
                        return;
                    }
                    if (key.equals(record.key()) && !onRecord.test(record)) {
                        return;
                    }
                }
            }
        }
    }
}
