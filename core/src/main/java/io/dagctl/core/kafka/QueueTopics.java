package io.dagctl.core.kafka;

import io.dagctl.core.event.Topics;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Makes each queue's dispatch topic, as the default queue's is made: the same partitions, replication, retention and
 * record size. The coordinator makes a DAG's queues before its run or its stored version is written (a dispatch to a
 * topic that does not exist would stop the coordinator's stream thread), and a worker makes the queues it serves
 * before it subscribes (so that it takes a new queue's first task at once, not at its next metadata refresh).
 * Creating a topic that exists changes nothing, so both may race.
 */
public final class QueueTopics implements AutoCloseable {

    private static final long WAIT_SECONDS = 30;

    private final Map<String, Object> clientProperties;
    private final Topics topics;
    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private Admin admin;
    private NewTopicTemplate template;

    private record NewTopicTemplate(int partitions, short replication, Map<String, String> configs) {}

    public QueueTopics(Map<String, Object> clientProperties, Topics topics) {
        this.clientProperties = new HashMap<>(clientProperties);
        this.topics = topics;
        known.add(topics.dispatch());
    }

    /**
     * Makes the dispatch topic of each of {@code queues} that does not exist yet.
     *
     * @throws IllegalStateException naming the queue and why, when Kafka refused or could not be reached
     */
    public synchronized void ensure(Collection<String> queues) {
        List<String> missing = queues.stream()
                .map(topics::dispatch)
                .distinct()
                .filter(topic -> !known.contains(topic))
                .toList();
        if (missing.isEmpty()) {
            return;
        }
        try {
            NewTopicTemplate like = template();
            var created = admin().createTopics(missing.stream()
                            .map(topic ->
                                    new NewTopic(topic, like.partitions(), like.replication()).configs(like.configs()))
                            .toList())
                    .values();
            for (var entry : created.entrySet()) {
                try {
                    entry.getValue().get(WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException(
                                "cannot create the dispatch topic " + entry.getKey() + ": "
                                        + e.getCause().getMessage(),
                                e.getCause());
                    }
                }
                known.add(entry.getKey());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the topics of queues " + queues, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException(
                    "cannot reach Kafka to create the topics of queues " + queues + ": " + e.getMessage(), e);
        }
    }

    /** Whether a queue's topic is known to exist (made or checked by this instance). */
    public boolean isKnown(String queue) {
        return known.contains(topics.dispatch(queue));
    }

    private NewTopicTemplate template() throws InterruptedException, ExecutionException, TimeoutException {
        if (template == null) {
            String dispatch = topics.dispatch();
            TopicDescription description = admin().describeTopics(List.of(dispatch))
                    .allTopicNames()
                    .get(WAIT_SECONDS, TimeUnit.SECONDS)
                    .get(dispatch);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, dispatch);
            Config config = admin().describeConfigs(List.of(resource))
                    .all()
                    .get(WAIT_SECONDS, TimeUnit.SECONDS)
                    .get(resource);
            Map<String, String> configs = new HashMap<>();
            for (String name : List.of(TopicConfig.RETENTION_MS_CONFIG, TopicConfig.MAX_MESSAGE_BYTES_CONFIG)) {
                var entry = config.get(name);
                if (entry != null && entry.value() != null) {
                    configs.put(name, entry.value());
                }
            }
            template = new NewTopicTemplate(
                    description.partitions().size(),
                    (short) description.partitions().get(0).replicas().size(),
                    Map.copyOf(configs));
        }
        return template;
    }

    private Admin admin() {
        if (admin == null) {
            admin = Admin.create(clientProperties);
        }
        return admin;
    }

    @Override
    public synchronized void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}
