package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dagctl.core.event.Topics;
import io.dagctl.core.kafka.QueueTopics;
import io.dagctl.kafka.EmbeddedKafka;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Queue topics on a real broker: made like the default queue's topic, and an existing one left as it is. */
class QueueTopicsTest {

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        kafka = EmbeddedKafka.startSingleNode();
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
    }

    @Test
    void aQueuesTopicCopiesTheDefaultOneAndAnExistingOneIsLeftAlone() throws Exception {
        Topics topics = new Topics("qt");
        Map<String, Object> client = Map.of("bootstrap.servers", kafka.bootstrapServers());
        try (Admin admin = Admin.create(client);
                QueueTopics queues = new QueueTopics(client, topics)) {
            admin.createTopics(List.of(
                            new NewTopic(topics.dispatch(), 3, (short) 1)
                                    .configs(Map.of("retention.ms", "123456789", "max.message.bytes", "2162688")),
                            new NewTopic(topics.dispatch("made-before"), 1, (short) 1)))
                    .all()
                    .get(30, TimeUnit.SECONDS);

            queues.ensure(List.of("gpu", "made-before", "default"));
            queues.ensure("gpu"); // known now: nothing asked of the broker

            var described = admin.describeTopics(List.of(topics.dispatch("gpu"), topics.dispatch("made-before")))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS);
            assertEquals(
                    3, described.get(topics.dispatch("gpu")).partitions().size(), "the default topic's partitions");
            assertEquals(
                    1,
                    described.get(topics.dispatch("made-before")).partitions().size(),
                    "left as it was");
            ConfigResource gpu = new ConfigResource(ConfigResource.Type.TOPIC, topics.dispatch("gpu"));
            var config = admin.describeConfigs(List.of(gpu))
                    .all()
                    .get(30, TimeUnit.SECONDS)
                    .get(gpu);
            assertEquals("123456789", config.get("retention.ms").value(), "the default topic's overrides");
            assertEquals("2162688", config.get("max.message.bytes").value());
        }
    }
}
