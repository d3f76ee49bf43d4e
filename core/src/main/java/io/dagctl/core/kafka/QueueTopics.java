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
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Makes each queue's dispatch topic as the default queue's is made: the same partitions, replication and topic settings
 * (retention, record size, min.insync.replicas: every setting the default topic overrides). Topics that exist are
 * found by a describe (which needs only Describe on the topic) and left alone, so a client without the right to create
 * topics works wherever an operator (or the chart) made them. The API makes a DAG's queues before it writes a run or a
 * stored version, the coordinator's engine before a queue's first dispatch, a worker before it subscribes to its
 * queues (a consumer notices a new topic only at its next metadata refresh). Creating a topic that another client just
 * made changes nothing, so all of them may race. Once a topic is known to exist it is not checked again.
 */
public final class QueueTopics implements AutoCloseable {

    private static final long WAIT_SECONDS = 10;

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

    /** {@link #ensure(Collection)} for one queue. */
    public void ensure(String queue) {
        ensure(List.of(queue));
    }

    /**
     * Makes the dispatch topic of each of {@code queues} that does not exist yet.
     *
     * @throws IllegalStateException naming the topic and why, when Kafka refused or could not be reached
     */
    public void ensure(Collection<String> queues) {
        if (queues.stream().map(topics::dispatch).allMatch(known::contains)) {
            return; // the common case, without the lock
        }
        synchronized (this) {
            List<String> unknown = queues.stream()
                    .map(topics::dispatch)
                    .distinct()
                    .filter(topic -> !known.contains(topic))
                    .toList();
            if (unknown.isEmpty()) {
                return;
            }
            try {
                List<String> missing = missing(unknown);
                if (!missing.isEmpty()) {
                    create(missing);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while making the dispatch topics " + unknown, e);
            } catch (ExecutionException | TimeoutException e) {
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                throw new IllegalStateException(
                        "cannot check or make the dispatch topics " + unknown + ": " + cause.getMessage(), cause);
            }
        }
    }

    /** Those of {@code candidates} that do not exist; the others become known. */
    private List<String> missing(List<String> candidates)
            throws InterruptedException, ExecutionException, TimeoutException {
        Map<String, KafkaFuture<TopicDescription>> described =
                admin().describeTopics(candidates).topicNameValues();
        List<String> missing = new java.util.ArrayList<>();
        for (var entry : described.entrySet()) {
            try {
                entry.getValue().get(WAIT_SECONDS, TimeUnit.SECONDS);
                known.add(entry.getKey());
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw e;
                }
                missing.add(entry.getKey());
            }
        }
        return missing;
    }

    private void create(List<String> missing) throws InterruptedException, ExecutionException, TimeoutException {
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
                            "cannot make the dispatch topic " + entry.getKey() + ": "
                                    + e.getCause().getMessage(),
                            e.getCause());
                }
            }
            known.add(entry.getKey());
        }
    }

    /** The default queue's topic as the pattern: its partitions, replication and every setting it overrides. */
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
            Map<String, String> overrides = new HashMap<>();
            for (ConfigEntry entry : config.entries()) {
                if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG && entry.value() != null) {
                    overrides.put(entry.name(), entry.value());
                }
            }
            template = new NewTopicTemplate(
                    description.partitions().size(),
                    (short) description.partitions().get(0).replicas().size(),
                    Map.copyOf(overrides));
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
