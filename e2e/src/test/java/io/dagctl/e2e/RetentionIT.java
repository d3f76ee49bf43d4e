package io.dagctl.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.Topics;
import io.dagctl.core.model.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Retention on a real broker and coordinator, with limits small enough to watch: a DAG's runs beyond its cap go
 * oldest first, every finished run goes once it is older than the retention, and the logs and events topics keep
 * their records as long as finished runs and a week more.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RetentionIT {

    private static final Duration FINISHED_RUNS = Duration.ofSeconds(30);
    private static final int MAX_RUNS_PER_DAG = 3;

    private TestCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = new TestCluster(
                2,
                1,
                Map.of(
                        // one run partition: the cap is exact (each partition keeps its share of it, rounded up)
                        "DAGCTL_TOPICS_RUN_PARTITIONS",
                        "1",
                        "DAGCTL_RETENTION_FINISHED_RUNS",
                        FINISHED_RUNS.toSeconds() + "s",
                        "DAGCTL_RETENTION_MAX_RUNS_PER_DAG",
                        String.valueOf(MAX_RUNS_PER_DAG),
                        "DAGCTL_RETENTION_SWEEP_EVERY",
                        "1s"));
    }

    @AfterAll
    void stop() throws Exception {
        cluster.close();
    }

    @Test
    void runsBeyondADagsCapGoOldestFirstAndEveryRunGoesWhenItIsOld() throws Exception {
        CoordinatorApi api = cluster.api();
        List<String> runIds = new ArrayList<>();
        Instant firstEnded = null;
        for (int i = 0; i < 10; i++) {
            String runId = api.submit("name: capped\ntasks:\n  - {name: t, type: noop}\n");
            assertEquals(
                    RunStatus.SUCCESS,
                    api.awaitEnd(runId, Duration.ofMinutes(1)).status());
            firstEnded = firstEnded == null ? Instant.now() : firstEnded;
            runIds.add(runId);
        }
        String newest = runIds.get(runIds.size() - 1);

        await("the runs of 'capped' beyond its cap removed")
                .atMost(FINISHED_RUNS)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> total(api, "capped") == MAX_RUNS_PER_DAG);
        // checked before any run is old enough for the age rule: only the cap can have removed runs so far
        assertTrue(
                Instant.now().isBefore(firstEnded.plus(FINISHED_RUNS)),
                "the cap was reached only after the first run was " + FINISHED_RUNS + " old: too slow to tell");
        for (int i = 0; i < runIds.size(); i++) {
            boolean kept = i >= runIds.size() - MAX_RUNS_PER_DAG;
            assertEquals(kept ? 200 : 404, api.get(runIds.get(i)).status(), "run " + i + " of 10, oldest first");
        }
        JsonNode listed = Events.mapper().readTree(api.text("/api/v1/runs?dag=capped&limit=50"));
        List<String> keptNewestFirst = new ArrayList<>(runIds.subList(runIds.size() - MAX_RUNS_PER_DAG, runIds.size()));
        Collections.reverse(keptNewestFirst);
        assertEquals(
                keptNewestFirst,
                listed.path("runs").findValuesAsText("run_id"),
                "the listing shows the kept runs, newest first");

        await("every finished run removed once older than " + FINISHED_RUNS)
                .atMost(FINISHED_RUNS.plusSeconds(30))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> total(api, "capped") == 0 && api.get(newest).status() == 404);
        JsonNode all = Events.mapper().readTree(api.text("/api/v1/runs?limit=1"));
        assertTrue(all.path("total").isIntegralNumber(), "an unfiltered listing has a total: " + all);
        assertEquals(0, all.path("total").asLong(), "nothing is left in the listing: " + all);
        assertTrue(all.path("runs").isEmpty(), all.toString());
    }

    @Test
    void logsAndEventsAreKeptAsLongAsFinishedRunsAndAWeekMore() throws Exception {
        Topics topics = Topics.defaults();
        long expected = FINISHED_RUNS.plusDays(7).toMillis();
        try (Admin admin =
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            for (String topic : List.of(topics.logs(), topics.events())) {
                ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
                Config config =
                        admin.describeConfigs(List.of(resource)).all().get().get(resource);
                assertEquals(
                        String.valueOf(expected),
                        config.get(TopicConfig.RETENTION_MS_CONFIG).value(),
                        topic + "'s retention");
            }
        }
    }

    private static long total(CoordinatorApi api, String dag) throws Exception {
        return Events.mapper()
                .readTree(api.text("/api/v1/runs?limit=1&dag=" + dag))
                .path("total")
                .asLong();
    }
}
