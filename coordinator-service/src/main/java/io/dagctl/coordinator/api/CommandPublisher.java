package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorSettings;
import io.dagctl.coordinator.engine.TopicProvisioner;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.Topics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes commands to the commands topic, keyed by run id. The REST layer never changes a run's state itself: the
 * run's owner applies the command.
 */
@ApplicationScoped
public class CommandPublisher {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;

    public CommandPublisher(CoordinatorSettings settings) {
        this.topic = new Topics(settings.topics().prefix()).commands();
        this.producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        settings.kafka().bootstrapServers(),
                        ProducerConfig.ACKS_CONFIG,
                        "all",
                        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                        true,
                        ProducerConfig.LINGER_MS_CONFIG,
                        0,
                        ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                        TopicProvisioner.MAX_COMMAND_BYTES,
                        ProducerConfig.BUFFER_MEMORY_CONFIG,
                        2L * TopicProvisioner.MAX_COMMAND_BYTES,
                        ProducerConfig.COMPRESSION_TYPE_CONFIG,
                        "lz4",
                        ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                        (int) SEND_TIMEOUT.toMillis(),
                        ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                        (int) SEND_TIMEOUT.toMillis() - 1000),
                new StringSerializer(),
                new ByteArraySerializer());
    }

    /** Returns once the command is durably in Kafka (acks=all). */
    public void publish(RunCommand command) throws CommandNotAcceptedException {
        try {
            producer.send(new ProducerRecord<>(topic, command.runId(), Events.toJson(command)))
                    .get(SEND_TIMEOUT.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommandNotAcceptedException("interrupted while writing to " + topic, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
            throw new CommandNotAcceptedException(
                    "Kafka did not accept the command on " + topic + ": " + cause.getMessage(), cause);
        }
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
    }

    public static class CommandNotAcceptedException extends Exception {
        public CommandNotAcceptedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
