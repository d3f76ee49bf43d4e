package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.DagApplied;
import io.dagctl.core.event.DagTriggered;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.parse.DagParser;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A stored DAG's {@code max_active_runs}: runs past it wait QUEUED, in order, and start as places free up. */
class DagRunLimitTopologyTest extends TopologyTestBase {

    private TestInputTopic<String, byte[]> dags;

    @BeforeEach
    void dagsTopic() {
        dags = driver.createInputTopic(TOPICS.dags(), new StringSerializer(), new ByteArraySerializer());
    }

    private void apply(int maxActiveRuns, String schedule) throws Exception {
        DagSpec dag = new DagParser()
                .parse(
                        "name: etl\nmax_active_runs: " + maxActiveRuns + "\n" + schedule
                                + "tasks:\n  - {name: a, command: 'true'}\n",
                        "etl.yaml");
        dags.pipeInput("etl", Events.toJson(DagApplied.of(dag, "apply-" + clock.instant(), clock.instant())));
    }

    private void trigger(int version, String runId) {
        dags.pipeInput(
                "etl",
                Events.toJson(new DagTriggered(
                        Events.SCHEMA_VERSION,
                        "etl",
                        version,
                        Map.of(),
                        runId,
                        RunSubmitted.TRIGGER_MANUAL,
                        null,
                        "sub-" + runId,
                        "req-" + runId,
                        clock.instant())));
    }

    private DagEntry entry() {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StoreNames.DAGS);
        return Events.fromJson(store.get("etl"), DagEntry.class);
    }

    @Test
    void runsPastTheLimitWaitQueuedAndStartInOrderAsRunsEnd() throws Exception {
        apply(2, "");
        for (String id : List.of("r1", "r2", "r3", "r4", "r5")) {
            trigger(1, id);
        }
        List<TaskDispatched> first = dispatched();
        assertEquals(
                List.of("r1", "r2"), first.stream().map(TaskDispatched::runId).toList());
        assertEquals(RunStatus.QUEUED, run("r3").status());
        assertNull(run("r3").startedAt(), "a waiting run has not started");
        assertEquals(TaskStatus.PENDING, task("r3", "a").status(), "its tasks are written, not dispatched");
        assertEquals(2, entry().activeRuns());
        assertEquals(List.of("r3", "r4", "r5"), entry().waitingRuns());

        // a waiting run can be cancelled: it ends at once and gives up its place in line
        commands.pipeInput("r4", Events.toJson(RunCancelRequested.of("r4", clock.instant(), "not needed")));
        assertEquals(RunStatus.CANCELLED, run("r4").status());
        assertNull(run("r4").summary().durationMs(), "it never ran");
        assertEquals(List.of("r3", "r5"), entry().waitingRuns());
        assertEquals(List.of(), dispatched());

        advance(Duration.ofSeconds(5));
        succeed(first.get(0)); // r1 ends: the oldest waiting run starts
        List<TaskDispatched> next = dispatched();
        assertEquals(List.of("r3"), next.stream().map(TaskDispatched::runId).toList());
        assertEquals(RunStatus.RUNNING, run("r3").status());
        assertEquals(clock.instant(), run("r3").startedAt());
        assertEquals(RunStatus.QUEUED, run("r5").status());
        assertEquals(List.of("r5"), entry().waitingRuns());

        succeed(next.get(0));
        assertEquals(
                List.of("r5"), dispatched().stream().map(TaskDispatched::runId).toList());
        assertEquals(List.of(), entry().waitingRuns());
        assertEquals(2, entry().activeRuns(), "r2 and r5");
    }

    @Test
    void aNewVersionWithAHigherLimitLetsWaitingRunsGo() throws Exception {
        apply(1, "");
        trigger(1, "a1");
        trigger(1, "a2");
        trigger(1, "a3");
        assertEquals(1, dispatched().size());
        assertEquals(List.of("a2", "a3"), entry().waitingRuns());
        apply(3, "");
        assertEquals(
                List.of("a2", "a3"),
                dispatched().stream().map(TaskDispatched::runId).toList());
        assertEquals(List.of(), entry().waitingRuns());
        assertEquals(3, entry().activeRuns());
    }

    @Test
    void aTriggerPastTheMostThatMayWaitIsRefusedWithTheReason() throws Exception {
        apply(1, "");
        for (int i = 0; i <= DagEntry.MAX_WAITING; i++) {
            trigger(1, "w" + i);
        }
        assertEquals(DagEntry.MAX_WAITING, entry().waitingRuns().size());
        trigger(1, "one-too-many");
        String refused = entry().outcomes().get("req-one-too-many").refused();
        assertNotNull(refused);
        assertTrue(refused.contains("max_active_runs: 1") && refused.contains("500 waiting"), refused);
        KeyValueStore<String, byte[]> runs = driver.getKeyValueStore(StoreNames.RUNS);
        assertNull(runs.get("one-too-many"), "nothing was started");
    }

    @Test
    void scheduledRunsPastTheLimitWaitForTheEarlierOnes() throws Exception {
        apply(1, "schedule:\n  every: 10s\n  overlap: allow\n  start: 2020-01-01T00:00:00Z\n");
        for (int s = 0; s < 30; s++) {
            advance(Duration.ofSeconds(1));
        }
        List<TaskDispatched> sent = dispatched();
        assertEquals(
                List.of("etl.20261126T120010Z"),
                sent.stream().map(TaskDispatched::runId).toList());
        assertEquals(List.of("etl.20261126T120020Z", "etl.20261126T120030Z"), entry().waitingRuns());
        succeed(sent.get(0));
        assertEquals(
                List.of("etl.20261126T120020Z"),
                dispatched().stream().map(TaskDispatched::runId).toList());
        assertEquals(RunStatus.SUCCESS, run("etl.20261126T120010Z").status());
    }

    @Test
    void aTriggerOfARunThatHadEndedDoesNotHoldAPlaceForEver() throws Exception {
        apply(1, "");
        trigger(1, "done");
        succeed(dispatched().get(0));
        assertEquals(RunStatus.SUCCESS, run("done").status());
        trigger(1, "done"); // the same run id again: its owner finds it ended and says so
        assertEquals(0, entry().activeRuns());
        trigger(1, "next");
        assertEquals(RunStatus.RUNNING, run("next").status(), "nothing holds the place");
    }

    @Test
    void aRunCancelledWhileItWaitedAndThenRetriedRunsWithAStartTime() throws Exception {
        apply(1, "");
        trigger(1, "first");
        trigger(1, "second");
        commands.pipeInput("second", Events.toJson(RunCancelRequested.of("second", clock.instant(), null)));
        assertEquals(RunStatus.CANCELLED, run("second").status());
        assertNull(run("second").startedAt());
        commands.pipeInput(
                "second", Events.toJson(io.dagctl.core.event.TaskRetryRequested.of("second", clock.instant())));
        assertEquals(RunStatus.RUNNING, run("second").status());
        assertNotNull(run("second").startedAt());
    }
}
