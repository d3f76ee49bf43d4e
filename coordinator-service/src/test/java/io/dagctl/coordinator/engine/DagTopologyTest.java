package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.DagApplied;
import io.dagctl.core.event.DagDeleted;
import io.dagctl.core.event.DagPauseSet;
import io.dagctl.core.event.DagTriggered;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.parse.DagParser;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stored DAGs applied by their owner: versions, pause, delete, and the runs a trigger starts. */
class DagTopologyTest extends TopologyTestBase {

    private static final String V1 =
            "name: etl\nparams:\n  day: {type: string, default: today}\n" + "tasks:\n  - {name: a, command: 'true'}\n";
    private static final String V2 = V1 + "  - {name: b, command: 'true', dependencies: [a]}\n";

    private TestInputTopic<String, byte[]> dags;

    @BeforeEach
    void dagsTopic() {
        dags = driver.createInputTopic(TOPICS.dags(), new StringSerializer(), new ByteArraySerializer());
    }

    private void apply(String yaml, String requestId) throws Exception {
        DagSpec dag = new DagParser().parse(yaml, "etl.yaml");
        dags.pipeInput(dag.name(), Events.toJson(DagApplied.of(dag, requestId, clock.instant())));
    }

    private void trigger(int version, String runId, String requestId) {
        dags.pipeInput(
                "etl",
                Events.toJson(new DagTriggered(
                        Events.SCHEMA_VERSION,
                        "etl",
                        version,
                        Map.of("day", "2026-12-06"),
                        runId,
                        RunSubmitted.TRIGGER_MANUAL,
                        null,
                        requestId,
                        requestId,
                        clock.instant())));
    }

    private DagEntry entry(String name) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StoreNames.DAGS);
        byte[] json = store.get(name);
        return json == null ? null : Events.fromJson(json, DagEntry.class);
    }

    private DagVersionEntry version(String name, int version) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StoreNames.DAG_VERSIONS);
        byte[] json = store.get(StoreNames.dagVersionKey(name, version));
        return json == null ? null : Events.fromJson(json, DagVersionEntry.class);
    }

    @Test
    void anUnchangedDagKeepsItsVersionAndAChangedOneGetsTheNext() throws Exception {
        apply(V1, "r1");
        apply(V1, "r2");
        apply(V2, "r3");
        DagEntry entry = entry("etl");
        assertEquals(2, entry.version());
        assertEquals(new DagEntry.Outcome(1, true, null, null), entry.outcomes().get("r1"));
        assertEquals(
                new DagEntry.Outcome(1, false, null, null), entry.outcomes().get("r2"));
        assertEquals(new DagEntry.Outcome(2, true, null, null), entry.outcomes().get("r3"));
        assertEquals(1, version("etl", 1).dag().tasks().size());
        assertEquals(2, version("etl", 2).dag().tasks().size());
        assertNull(version("etl", 3));
    }

    @Test
    void aTriggerStartsARunOfTheVersionItNamesWithItsParametersOnce() throws Exception {
        apply(V1, "r1");
        apply(V2, "r2");
        trigger(1, "run-1", "t1");
        RunEntry run = run("run-1");
        assertEquals(1, run.dagVersion(), "the version the parameters were checked against, not the latest");
        assertEquals(RunSubmitted.TRIGGER_MANUAL, run.trigger());
        assertEquals(Map.of("day", "2026-12-06"), run.params());
        assertEquals(1, run.taskCount());
        List<TaskDispatched> sent = dispatched();
        assertEquals(1, sent.size());
        assertEquals("2026-12-06", sent.get(0).env().get("DAGCTL_PARAM_DAY"));
        assertEquals("manual", sent.get(0).env().get("DAGCTL_TRIGGER"));
        assertEquals("1", sent.get(0).env().get("DAGCTL_DAG_VERSION"));
        assertEquals(clock.instant().toString(), sent.get(0).env().get("DAGCTL_LOGICAL_DATE"));
        assertEquals(clock.instant(), run.logicalDate());
        DagEntry entry = entry("etl");
        assertEquals("run-1", entry.lastRunId());
        assertEquals("run-1", entry.outcomes().get("t1").runId());
    }

    @Test
    void aPausedOrDeletedDagStartsNothingAndSaysWhy() throws Exception {
        apply(V1, "r1");
        dags.pipeInput("etl", Events.toJson(DagPauseSet.of("etl", true, "p1", clock.instant())));
        assertTrue(entry("etl").paused());
        trigger(1, "run-paused", "t1");
        assertEquals("DAG 'etl' is paused", entry("etl").outcomes().get("t1").refused());
        assertNull(driver.getKeyValueStore(StoreNames.RUNS).get("run-paused"));

        dags.pipeInput("etl", Events.toJson(DagPauseSet.of("etl", false, "p2", clock.instant())));
        dags.pipeInput("etl", Events.toJson(DagDeleted.of("etl", "d1", clock.instant())));
        assertTrue(entry("etl").deleted());
        trigger(1, "run-deleted", "t2");
        assertEquals("DAG 'etl' was deleted", entry("etl").outcomes().get("t2").refused());
        assertNull(driver.getKeyValueStore(StoreNames.RUNS).get("run-deleted"));
        assertNotNull(version("etl", 1), "a deleted DAG's versions stay for its runs");

        trigger(9, "run-v9", "t3");
        apply(V1, "r2");
        assertFalse(entry("etl").deleted(), "applied again, it is back");
        assertEquals(1, entry("etl").version(), "with the version it had: the same DAG");
        apply(V2, "r3");
        assertEquals(2, entry("etl").version(), "numbering goes on");
        trigger(9, "run-v9", "t4");
        assertEquals(
                "DAG 'etl' has no version 9", entry("etl").outcomes().get("t4").refused());
    }

    @Test
    void anUnreadableOrMiskeyedRecordIsADeadLetterAndTheOwnerGoesOn() throws Exception {
        dags.pipeInput("etl", "{not json".getBytes(StandardCharsets.UTF_8));
        DagSpec dag = new DagParser().parse(V1, "etl.yaml");
        dags.pipeInput("other", Events.toJson(DagApplied.of(dag, "r0", clock.instant())));
        var letters = dlq.readRecordsToList();
        assertEquals(2, letters.size());
        assertEquals(
                TOPICS.dags(),
                new String(
                        letters.get(1)
                                .headers()
                                .lastHeader(WireHeaders.DLQ_SOURCE_TOPIC)
                                .value(),
                        StandardCharsets.UTF_8));
        assertTrue(new String(
                        letters.get(1)
                                .headers()
                                .lastHeader(WireHeaders.DLQ_REASON)
                                .value(),
                        StandardCharsets.UTF_8)
                .contains("its key must be the DAG's name"));
        assertNull(entry("other"));
        apply(V1, "r1");
        assertEquals(1, entry("etl").version());
    }

    @Test
    void outcomesKeptAreBounded() throws Exception {
        for (int i = 0; i < DagEntry.MAX_OUTCOMES + 10; i++) {
            apply(V1, "r" + i);
        }
        DagEntry entry = entry("etl");
        assertEquals(DagEntry.MAX_OUTCOMES, entry.outcomes().size());
        assertTrue(entry.outcomes().containsKey("r" + (DagEntry.MAX_OUTCOMES + 9)));
        assertFalse(entry.outcomes().containsKey("r0"));
    }
}
