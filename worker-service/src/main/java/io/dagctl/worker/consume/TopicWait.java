package io.dagctl.worker.consume;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/** Waits for a topic to exist, saying every few seconds what it waits for. */
public final class TopicWait {

    private static final System.Logger LOG = System.getLogger(TopicWait.class.getName());
    private static final Duration REPORT_EVERY = Duration.ofSeconds(10);

    private final String bootstrapServers;
    private final String topic;
    private final Map<String, Object> clientProperties;

    /** @param clientProperties the Kafka settings every client of the worker shares (servers, security) */
    public TopicWait(Map<String, Object> clientProperties, String topic) {
        this.clientProperties = clientProperties;
        this.bootstrapServers = String.valueOf(clientProperties.get(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG));
        this.topic = topic;
    }

    public void await() {
        long started = System.nanoTime();
        long nextReport = started + REPORT_EVERY.toNanos();
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 4000);
        try (Admin admin = Admin.create(props)) {
            while (true) {
                try {
                    admin.describeTopics(List.of(topic)).allTopicNames().get(5, TimeUnit.SECONDS);
                    return;
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
                            && !(e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException)) {
                        throw new IllegalStateException(
                                "cannot look up topic " + topic + " at " + bootstrapServers + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                } catch (TimeoutException e) {
                    // broker not reachable yet
                }
                if (System.nanoTime() > nextReport) {
                    LOG.log(
                            System.Logger.Level.INFO,
                            "still waiting for topic {0} at {1} ({2} s); is the coordinator running?",
                            topic,
                            bootstrapServers,
                            Duration.ofNanos(System.nanoTime() - started).toSeconds());
                    nextReport = System.nanoTime() + REPORT_EVERY.toNanos();
                }
                Thread.sleep(200);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for topic " + topic, e);
        }
    }
}
