package io.dagctl.coordinator.auth;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The secret that signs the web UI's sessions, the same on every coordinator of a cluster: 32 random bytes in a
 * one-partition topic kept forever (not compacted: compaction would keep the last of two proposals, not the first). The
 * first instance that finds the topic empty proposes one; every instance takes the first record, so two that propose
 * at once still agree. Nothing in the configuration lets anyone compute it: a
 * token's hash, which {@code dagctl.auth.tokens} holds and which may be seen, is not enough to forge a session.
 * Whoever can read this topic can forge one, as whoever can write the commands topic can run anything.
 */
public final class SessionSecret implements Supplier<byte[]> {

    private static final System.Logger LOG = System.getLogger(SessionSecret.class.getName());
    private static final String KEY = "session-secret-v1";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final Map<String, Object> clientProperties;
    private final String topic;
    private volatile byte[] secret;

    public SessionSecret(Map<String, Object> clientProperties, String topic) {
        this.clientProperties = clientProperties;
        this.topic = topic;
    }

    /** The secret, read (or proposed and read) at the first call. */
    @Override
    public byte[] get() {
        byte[] known = secret;
        if (known != null) {
            return known;
        }
        synchronized (this) {
            if (secret == null) {
                secret = load();
            }
            return secret;
        }
    }

    private byte[] load() {
        try {
            createTopic();
            byte[] first = firstRecord();
            if (first != null) {
                return first;
            }
            byte[] proposed = new byte[32];
            new SecureRandom().nextBytes(proposed);
            Map<String, Object> props = new HashMap<>(clientProperties);
            props.put(ProducerConfig.ACKS_CONFIG, "all");
            try (KafkaProducer<String, byte[]> producer =
                    new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
                producer.send(new ProducerRecord<>(topic, 0, KEY, proposed))
                        .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            }
            byte[] agreed = firstRecord();
            if (agreed == null) {
                throw new IllegalStateException("the session secret written to " + topic + " cannot be read back");
            }
            LOG.log(
                    System.Logger.Level.INFO,
                    "web UI session secret {0} in {1}",
                    java.util.Arrays.equals(agreed, proposed) ? "created" : "read",
                    topic);
            return agreed;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the session secret", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read or write the session secret in " + topic + ": " + e, e);
        }
    }

    private void createTopic() throws InterruptedException, TimeoutException, ExecutionException {
        try (Admin admin = Admin.create(clientProperties)) {
            NewTopic wanted = new NewTopic(topic, 1, (short) -1)
                    .configs(Map.of(
                            TopicConfig.CLEANUP_POLICY_CONFIG,
                            TopicConfig.CLEANUP_POLICY_DELETE,
                            TopicConfig.RETENTION_MS_CONFIG,
                            "-1",
                            TopicConfig.RETENTION_BYTES_CONFIG,
                            "-1"));
            admin.createTopics(List.of(wanted)).all().get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw e;
            }
        }
    }

    /** The value of the topic's first record with the secret's key, or null when there is none. */
    private byte[] firstRecord() {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        try (KafkaConsumer<String, byte[]> consumer =
                new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
            TopicPartition partition = new TopicPartition(topic, 0);
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), WAIT).get(partition);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (consumer.position(partition, WAIT) < end && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (KEY.equals(record.key()) && record.value() != null && record.value().length == 32) {
                        return record.value();
                    }
                }
            }
            return null;
        }
    }
}
