package io.dagctl.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class ThreeNodeClusterTest {

    @Test
    void acksAllWritesSurviveTheLossOfOneNode() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.builder().nodes(3).build().start()) {
            assertEquals(3, kafka.admin().describeCluster().nodes().get().size());
            kafka.createTopics(List.of(new NewTopic("replicated", 3, (short) 3)));
            String bootstrap = kafka.bootstrapServers();
            kafka.stopNode(2);
            try (var producer = new KafkaProducer<String, String>(
                    Map.of(
                            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                            bootstrap,
                            ProducerConfig.ACKS_CONFIG,
                            "all",
                            ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                            60_000),
                    new StringSerializer(),
                    new StringSerializer())) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>("replicated", "k" + i, "v"))
                            .get(60, TimeUnit.SECONDS);
                }
            }
        }
    }
}
