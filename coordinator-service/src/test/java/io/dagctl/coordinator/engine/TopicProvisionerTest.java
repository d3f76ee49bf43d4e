package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dagctl.kafka.EmbeddedKafka;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/** Topic creation against a real broker. */
class TopicProvisionerTest {

    @Test
    void theRunPartitionsAreThoseTheTopicsHaveNotThoseConfiguredLater() throws Exception {
        try (EmbeddedKafka kafka = EmbeddedKafka.startSingleNode()) {
            CoordinatorConfig config = CoordinatorConfig.localDefaults(
                    kafka.bootstrapServers(), Files.createTempDirectory("provisioner-"));

            assertEquals(3, new TopicProvisioner(config.withRunPartitions(3)).ensureTopics(), "created with 3");
            // a data directory made by an earlier version, started with another setting: the topics keep their count
            assertEquals(3, new TopicProvisioner(config.withRunPartitions(12)).ensureTopics());
        }
    }
}
