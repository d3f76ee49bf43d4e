package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorSettings;
import io.dagctl.coordinator.app.EngineConfigs;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.Topics;
import io.dagctl.core.kafka.QueueTopics;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.TaskSpec;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.HashMap;
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
 * Writes commands to the commands topic, keyed by run id, and to the DAGs topic, keyed by DAG name. The REST layer
 * never changes a run's or a stored DAG's state itself: its owner applies the command.
 */
@ApplicationScoped
public class CommandPublisher {

    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(15);

    private final KafkaProducer<String, byte[]> producer;
    private final String topic;
    private final String dagsTopic;
    private final QueueTopics queueTopics;

    public CommandPublisher(CoordinatorSettings settings) {
        this.topic = new Topics(settings.topics().prefix()).commands();
        this.dagsTopic = new Topics(settings.topics().prefix()).dags();
        Map<String, Object> props = new HashMap<>(EngineConfigs.clientProperties(settings));
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        // a submission is checked against MAX_SUBMISSION_BYTES before it is sent; this lets the largest one through
        props.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, RecordLimits.MAX_COMMAND_RECORD_BYTES);
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 2L * RecordLimits.MAX_COMMAND_RECORD_BYTES);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis());
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) SEND_TIMEOUT.toMillis() - 1000);
        this.producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
        this.queueTopics = new QueueTopics(
                EngineConfigs.clientProperties(settings),
                new Topics(settings.topics().prefix()));
    }

    /**
     * Makes the dispatch topic of every queue the DAG's tasks name, before a command that runs or stores it is written:
     * the coordinator's stream thread could not dispatch to a topic that does not exist.
     */
    public void ensureQueues(DagSpec dag) throws CommandNotAcceptedException {
        try {
            queueTopics.ensure(dag.tasks().stream().map(TaskSpec::queueName).toList());
        } catch (IllegalStateException e) {
            throw new CommandNotAcceptedException(e.getMessage(), e);
        }
    }

    /** Writes a command (its JSON) keyed by its run id; returns once it is durably in Kafka (acks=all). */
    public void publish(String runId, byte[] json) throws CommandNotAcceptedException {
        send(topic, runId, json);
    }

    /** Writes a command about a stored DAG keyed by its name; returns once it is durably in Kafka. */
    public void publishDag(String name, byte[] json) throws CommandNotAcceptedException {
        send(dagsTopic, name, json);
    }

    private void send(String topic, String key, byte[] json) throws CommandNotAcceptedException {
        try {
            producer.send(new ProducerRecord<>(topic, key, json))
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
        queueTopics.close();
        producer.close(Duration.ofSeconds(5));
    }

    public static class CommandNotAcceptedException extends Exception {
        public CommandNotAcceptedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
