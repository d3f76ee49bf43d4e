package io.dagctl.kafka;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedKafkaExtension.class)
class EmbeddedKafkaTest {

    @Test
    void aRecordGoesThroughTheRealBroker(EmbeddedKafka kafka) throws Exception {
        kafka.createTopics(List.of(new NewTopic("roundtrip", 3, (short) 1)));
        kafka.createTopics(List.of(new NewTopic("roundtrip", 3, (short) 1))); // idempotent
        assertTrue(kafka.admin().listTopics().names().get().contains("roundtrip"));
        try (var producer = new KafkaProducer<String, String>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all"),
                new StringSerializer(),
                new StringSerializer())) {
            producer.send(new ProducerRecord<>("roundtrip", "k", "hello")).get();
        }
        try (var consumer = new KafkaConsumer<String, String>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, "t",
                        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.subscribe(Set.of("roundtrip"));
            ConsumerRecords<String, String> records = await("the record to come back")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> consumer.poll(Duration.ofMillis(200)), polled -> !polled.isEmpty());
            assertEquals("hello", records.iterator().next().value());
        }
    }

    @Test
    void dataSurvivesARestartOnTheSameDirectory() throws Exception {
        Path dir = Files.createTempDirectory("ek-restart");
        try (EmbeddedKafka first = EmbeddedKafka.builder().dataDir(dir).build().start()) {
            first.createTopics(List.of(new NewTopic("kept", 1, (short) 1)));
        }
        try (EmbeddedKafka second = EmbeddedKafka.builder().dataDir(dir).build().start()) {
            assertTrue(second.admin().listTopics().names().get().contains("kept"));
        }
    }
}
