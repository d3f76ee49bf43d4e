package io.dagctl.e2e.chaos;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.event.Topics;
import io.dagctl.core.report.PoolPage;
import io.dagctl.core.report.PoolReport;
import io.dagctl.core.report.RunPage;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.RunSummary;
import io.dagctl.e2e.ProcessCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What the chaos harness needs from outside: the API over HTTP, Kafka for readiness and the run's events. */
public final class ChaosApi {

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private ChaosApi() {}

    private static HttpRequest.Builder request(String api, String path) {
        return HttpRequest.newBuilder(URI.create(api + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + ProcessCluster.TOKEN);
    }

    public static String submit(String api, String yaml) throws Exception {
        HttpResponse<String> r = HTTP.send(
                request(api, "/api/v1/runs")
                        .POST(HttpRequest.BodyPublishers.ofString(yaml))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 202) {
            throw new IllegalStateException("submission refused: " + r.statusCode() + " " + r.body());
        }
        return Events.mapper().readTree(r.body()).get("run_id").asText();
    }

    /** Sets a pool's slots; throws unless its owner applied it. */
    static void setPool(String api, String name, int slots) throws Exception {
        HttpResponse<String> r = HTTP.send(
                request(api, "/api/v1/pools/" + name)
                        .header("Content-Type", "application/json")
                        .PUT(HttpRequest.BodyPublishers.ofString("{\"slots\":" + slots + "}"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("pool " + name + " not set: " + r.statusCode() + " " + r.body());
        }
    }

    /** The pools as the coordinator at {@code api} lists them, as text (for messages). */
    static String pools(String api) {
        try {
            return HTTP.send(request(api, "/api/v1/pools").build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /** Whether pool {@code name} reaches no slot in use and nothing waiting within {@code within}. */
    static boolean poolSettles(String api, String name, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<byte[]> r = HTTP.send(
                        request(api, "/api/v1/pools/" + name).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() == 200) {
                    PoolReport pool = Events.fromJson(r.body(), PoolReport.class);
                    if (pool.inUse() == 0 && pool.waiting() == 0) {
                        return true;
                    }
                }
            } catch (Exception e) {
                // the owner may be moving: ask again
            }
            Thread.sleep(300);
        }
        return false;
    }

    /** Whether the coordinator at {@code api} owns pool {@code name} (lists it among its own). */
    static boolean ownsPool(String api, String name) {
        try {
            HttpResponse<byte[]> r = HTTP.send(
                    request(api, "/api/v1/pools?scope=local").build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200
                    && Events.fromJson(r.body(), PoolPage.class).pools().stream()
                            .anyMatch(p -> p.name().equals(name));
        } catch (Exception e) {
            return false;
        }
    }

    /** Stores a DAG; throws unless its owner took it. */
    static void applyDag(String api, String name, String yaml) throws Exception {
        HttpResponse<String> r = HTTP.send(
                request(api, "/api/v1/dags/" + name)
                        .PUT(HttpRequest.BodyPublishers.ofString(yaml))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 201 && r.statusCode() != 200) {
            throw new IllegalStateException("DAG " + name + " not stored: " + r.statusCode() + " " + r.body());
        }
    }

    /** Pauses a stored DAG; true when the API answered (200, or 202 with the command in Kafka). */
    static boolean pause(String api, String name) {
        try {
            HttpResponse<String> r = HTTP.send(
                    request(api, "/api/v1/dags/" + name + "/pause")
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 || r.statusCode() == 202;
        } catch (Exception e) {
            return false;
        }
    }

    /** The DAG's runs (at most 1,000, newest first), or empty when the cluster cannot list them right now. */
    static Optional<List<RunSummary>> runs(String api, String dag) {
        try {
            HttpResponse<byte[]> r = HTTP.send(
                    request(api, "/api/v1/runs?limit=1000&dag=" + dag).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200
                    ? Optional.of(Events.fromJson(r.body(), RunPage.class).runs())
                    : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** The report, or empty when no instance can answer right now (failover under way). */
    static Optional<RunReport> report(String api, String runId) {
        try {
            HttpResponse<byte[]> r =
                    HTTP.send(request(api, "/api/v1/runs/" + runId).build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200 ? Optional.of(Events.fromJson(r.body(), RunReport.class)) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** True when the coordinator at {@code api} owns the run right now. */
    public static boolean owns(String api, String runId) {
        try {
            HttpResponse<byte[]> r = HTTP.send(
                    request(api, "/api/v1/runs?scope=local").build(), HttpResponse.BodyHandlers.ofByteArray());
            return r.statusCode() == 200
                    && Events.fromJson(r.body(), RunPage.class).runs().stream()
                            .anyMatch(s -> s.runId().equals(runId));
        } catch (Exception e) {
            return false;
        }
    }

    /** How many records the dead-letter topic holds (each scenario has a cluster of its own). */
    static long deadLetters(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            String topic = Topics.defaults().dlq();
            var partitions = admin.describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions();
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            partitions.forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
            return admin.listOffsets(latest).all().get().values().stream()
                    .mapToLong(ListOffsetsResult.ListOffsetsResultInfo::offset)
                    .sum();
        } catch (Exception e) {
            throw new IllegalStateException("cannot count dead letters at " + bootstrap, e);
        }
    }

    /** Every event of the run, in order. */
    public static List<RunEvent> events(String bootstrap, String topic, String runId) {
        List<RunEvent> events = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        bootstrap,
                        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                        "read_committed",
                        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                        false),
                new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (runId.equals(record.key())) {
                        events.add(Events.fromJson(record.value(), RunEvent.class));
                    }
                }
            }
        }
        return events;
    }
}
