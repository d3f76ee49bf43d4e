package io.dagctl.worker.report;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.LogChunk;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Sends attempts' output as it is produced to the logs topic, keyed by attempt id, so it can be followed live. */
public final class LogStreamer implements AutoCloseable {

    private final Producer<String, byte[]> producer;
    private final String topic;
    private final long maxBytesPerAttempt;
    private final Clock clock;

    /** @param clientProperties the Kafka settings every client of the worker shares (servers, security) */
    public LogStreamer(
            Map<String, Object> clientProperties, String topic, String clientId, long maxBytesPerAttempt, Clock clock) {
        this(producer(clientProperties, clientId), topic, maxBytesPerAttempt, clock);
    }

    /** Over a producer made elsewhere (a test's mock); closing the streamer closes it. */
    public LogStreamer(Producer<String, byte[]> producer, String topic, long maxBytesPerAttempt, Clock clock) {
        this.producer = producer;
        this.topic = topic;
        this.maxBytesPerAttempt = maxBytesPerAttempt;
        this.clock = clock;
    }

    private static Producer<String, byte[]> producer(Map<String, Object> clientProperties, String clientId) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId + "-logs");
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }

    /** The log of one attempt; both of its streams write through it. */
    public AttemptLog open(String attemptId) {
        return new AttemptLog(attemptId);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }

    /** One attempt's log: chunks numbered in the order they were read, cut at UTF-8 character boundaries. */
    public final class AttemptLog {
        private final String attemptId;
        private long seq;
        private long sent;
        private boolean truncated;

        private AttemptLog(String attemptId) {
            this.attemptId = attemptId;
        }

        public synchronized void write(String stream, byte[] data, int length) {
            if (truncated || length == 0) {
                return;
            }
            if (sent + length > maxBytesPerAttempt) {
                truncated = true;
                send(
                        stream,
                        "\n[dagctl: output beyond " + maxBytesPerAttempt
                                + " bytes is not streamed; the report keeps its tail]\n",
                        false);
                return;
            }
            sent += length;
            send(stream, new String(data, 0, length, StandardCharsets.UTF_8), false);
        }

        /** Marks the end, so that followers stop at once; an attempt that wrote nothing sends no record at all. */
        public synchronized void end() {
            if (seq > 0) {
                send("stdout", "", true);
            }
        }

        private void send(String stream, String text, boolean end) {
            LogChunk chunk = LogChunk.of(attemptId, seq++, stream, text, clock.instant(), end);
            producer.send(new ProducerRecord<>(topic, attemptId, Events.toJson(chunk)));
        }
    }
}
