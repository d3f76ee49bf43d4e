package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.DagApplied;
import io.dagctl.core.event.DagPauseSet;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.RunId;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.parse.DagParser;
import io.dagctl.core.schedule.ScheduleClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stored DAGs on a schedule, driven by the wall clock: ticks fire once each, with their catch-up and overlap rules. */
class ScheduleTopologyTest extends TopologyTestBase {

    private TestInputTopic<String, byte[]> dags;

    @BeforeEach
    void dagsTopic() {
        dags = driver.createInputTopic(TOPICS.dags(), new StringSerializer(), new ByteArraySerializer());
    }

    /** An interval here gets a start, so that its ticks are the aligned times (not shifted by the name's phase). */
    private void apply(String name, String schedule) throws Exception {
        String aligned = schedule.contains("every:") ? schedule + "  start: 2020-01-01T00:00:00Z\n" : schedule;
        DagSpec dag = new DagParser()
                .parse(
                        "name: " + name + "\nschedule:\n" + aligned + "tasks:\n  - {name: t, command: 'true'}\n",
                        name + ".yaml");
        dags.pipeInput(name, Events.toJson(DagApplied.of(dag, "apply-" + clock.instant(), clock.instant())));
    }

    private void pause(String name, boolean paused) {
        dags.pipeInput(name, Events.toJson(DagPauseSet.of(name, paused, "pause-" + clock.instant(), clock.instant())));
    }

    /** The runs that exist, by id, in id order (tick order). */
    private List<String> runIds() {
        KeyValueStore<String, byte[]> runs = driver.getKeyValueStore(StoreNames.RUNS);
        List<String> ids = new ArrayList<>();
        try (var it = runs.all()) {
            it.forEachRemaining(kv -> ids.add(kv.key));
        }
        return ids;
    }

    private DagEntry entry(String name) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StoreNames.DAGS);
        return Events.fromJson(store.get(name), DagEntry.class);
    }

    /** Moves the wall clock a second at a time, as the punctuators see it. */
    private void tickFor(Duration d) {
        for (long s = 0; s < d.toSeconds(); s++) {
            advance(Duration.ofSeconds(1));
        }
    }

    @Test
    void everyTickStartsOneRunWithItsLogicalDateAndADerivedId() throws Exception {
        advance(Duration.ofSeconds(1));
        apply("pulse", "  every: 10s\n  overlap: allow\n");
        assertEquals(START.plusSeconds(10), entry("pulse").nextTickAt());
        tickFor(Duration.ofSeconds(31));
        assertEquals(List.of("pulse.20261126T120010Z", "pulse.20261126T120020Z", "pulse.20261126T120030Z"), runIds());
        RunEntry first = run("pulse.20261126T120010Z");
        assertEquals("schedule", first.trigger());
        assertEquals(START.plusSeconds(10), first.logicalDate());
        assertEquals(1, first.dagVersion());
        List<TaskDispatched> sent = dispatched();
        assertEquals(3, sent.size());
        assertEquals("2026-11-26T12:00:10Z", sent.get(0).env().get("DAGCTL_LOGICAL_DATE"));
        assertEquals("schedule", sent.get(0).env().get("DAGCTL_TRIGGER"));
        assertEquals(3, count("dagctl.schedule.ticks", "outcome", "fired"));
        assertEquals(START.plusSeconds(40), entry("pulse").nextTickAt());
    }

    @Test
    void whileARunIsUnfinishedSkipDropsTicksAndQueueOneRunsTheLatestWhenItEnds() throws Exception {
        apply("skipper", "  every: 10s\n");
        apply("queuer", "  every: 10s\n  overlap: queue_one\n");
        tickFor(Duration.ofSeconds(10));
        List<TaskDispatched> first = dispatched();
        assertEquals(2, first.size(), "one run of each at the first tick");
        tickFor(Duration.ofSeconds(20)); // two more ticks while both runs are unfinished
        assertEquals(List.of("queuer.20261126T120010Z", "skipper.20261126T120010Z"), runIds());
        assertEquals(2, count("dagctl.schedule.ticks", "outcome", "skipped_overlap"));
        assertEquals(START.plusSeconds(30), entry("queuer").queuedTick(), "the later tick replaced the earlier");
        for (TaskDispatched d : first) {
            succeed(d); // the runs end; their ends reach the DAGs' owner through the dags topic
        }
        assertEquals(RunStatus.SUCCESS, run("queuer.20261126T120010Z").status());
        assertTrue(runIds().contains("queuer.20261126T120030Z"), "the queued tick runs when the previous run ends");
        assertNull(entry("queuer").queuedTick());
        assertEquals(List.of("queuer.20261126T120030Z"), entry("queuer").unfinishedRuns());
        assertEquals(List.of(), entry("skipper").unfinishedRuns());
        tickFor(Duration.ofSeconds(10));
        assertTrue(runIds().contains("skipper.20261126T120040Z"), "skip runs the next tick once nothing is unfinished");
    }

    @Test
    void aRetriedRunIsUnfinishedAgainAndHoldsBackTheNextTicks() throws Exception {
        apply("redo", "  every: 10s\n");
        tickFor(Duration.ofSeconds(10));
        String runId = "redo.20261126T120010Z";
        fail(dispatched().get(0));
        assertEquals(RunStatus.FAILED, run(runId).status());
        assertEquals(List.of(), entry("redo").unfinishedRuns());

        commands.pipeInput(runId, Events.toJson(TaskRetryRequested.of(runId, clock.instant())));
        assertEquals(RunStatus.RUNNING, run(runId).status());
        assertEquals(List.of(runId), entry("redo").unfinishedRuns(), "the retried run counts as unfinished");
        tickFor(Duration.ofSeconds(10));
        assertEquals(List.of(runId), runIds(), "overlap: skip drops the tick while the retried run runs");

        succeed(dispatched().get(0));
        assertEquals(RunStatus.SUCCESS, entry("redo").lastRunStatus());
        assertEquals(List.of(), entry("redo").unfinishedRuns());
        tickFor(Duration.ofSeconds(10));
        assertEquals(List.of(runId, "redo.20261126T120030Z"), runIds(), "the next tick runs once it ended");
    }

    @Test
    void anIntervalWithoutAStartTicksAtItsNamesPhaseAndANewVersionWithTheSameScheduleKeepsIt() throws Exception {
        String yaml =
                "name: phased\nschedule:\n  every: 10s\n  overlap: allow\ntasks:\n  - {name: t, command: 'true'}\n";
        dags.pipeInput(
                "phased",
                Events.toJson(DagApplied.of(new DagParser().parse(yaml, "phased.yaml"), "a1", clock.instant())));
        Duration phase = ScheduleClock.phase("phased", Duration.ofSeconds(10));
        Instant first = phase.isZero() ? START.plusSeconds(10) : START.plus(phase);
        tickFor(Duration.ofSeconds(10));
        String runId = RunId.ofTick("phased", first);
        assertEquals(List.of(runId), runIds());
        assertEquals(first, run(runId).logicalDate());

        String changedTasks = yaml.replace("command: 'true'", "command: 'echo again'");
        dags.pipeInput(
                "phased",
                Events.toJson(
                        DagApplied.of(new DagParser().parse(changedTasks, "phased.yaml"), "a2", clock.instant())));
        KeyValueStore<String, byte[]> versions = driver.getKeyValueStore(StoreNames.DAG_VERSIONS);
        DagVersionEntry second =
                Events.fromJson(versions.get(StoreNames.dagVersionKey("phased", 2)), DagVersionEntry.class);
        assertEquals(phase.toMillis(), second.intervalPhaseMillis(), "the same schedule keeps its ticks");
    }

    @Test
    void cancelPreviousCancelsTheUnfinishedRunAndStartsTheNew() throws Exception {
        apply("replacer", "  every: 10s\n  overlap: cancel_previous\n");
        tickFor(Duration.ofSeconds(10));
        tickFor(Duration.ofSeconds(10));
        assertEquals(List.of("replacer.20261126T120010Z", "replacer.20261126T120020Z"), runIds());
        RunStatus previous = run("replacer.20261126T120010Z").status();
        assertTrue(previous == RunStatus.CANCELLING || previous == RunStatus.CANCELLED, previous.toString());
        assertEquals(RunStatus.RUNNING, run("replacer.20261126T120020Z").status());
    }

    @Test
    void afterAPauseCatchupDecidesWhatTheMissedTicksRun() throws Exception {
        apply("latest", "  every: 10s\n  overlap: allow\n");
        apply("none", "  every: 2m\n  overlap: allow\n  catchup: none\n");
        apply("all", "  every: 10s\n  overlap: allow\n  catchup: all\n  max_catchup: 3\n");
        for (String name : List.of("latest", "none", "all")) {
            pause(name, true);
        }
        assertNull(entry("all").nextTickAt(), "a paused DAG has no next run");
        tickFor(Duration.ofSeconds(305));
        assertTrue(runIds().isEmpty(), "nothing runs while paused");
        for (String name : List.of("latest", "none", "all")) {
            pause(name, false);
        }
        tickFor(Duration.ofSeconds(1));
        // paused from 12:00:00 to 12:05:05: every 10 s ticked 30 times, every 2 m at 12:02 and 12:04 (over a minute
        // ago)
        assertEquals(
                List.of(
                        "all.20261126T120440Z",
                        "all.20261126T120450Z",
                        "all.20261126T120500Z",
                        "latest.20261126T120500Z"),
                runIds());
        assertEquals(4, count("dagctl.schedule.ticks", "outcome", "fired"));
        assertEquals(27 + 29 + 2, count("dagctl.schedule.ticks", "outcome", "missed"));
        assertEquals(START.plusSeconds(360), entry("none").nextTickAt(), "none goes on with the next tick");
        tickFor(Duration.ofSeconds(60));
        assertTrue(runIds().contains("none.20261126T120600Z"));
    }

    @Test
    void aChangedScheduleStartsOverAndRemovingItStopsTheTicks() throws Exception {
        apply("moving", "  every: 10s\n  overlap: allow\n");
        apply("moving", "  every: 1m\n  overlap: allow\n");
        assertEquals(2, entry("moving").version());
        assertEquals(START.plusSeconds(60), entry("moving").nextTickAt());
        tickFor(Duration.ofSeconds(30));
        assertTrue(runIds().isEmpty(), "the 10 s ticks are gone with the old version");
        DagSpec unscheduled = new DagParser().parse("name: moving\ntasks:\n  - {name: t, command: 'true'}\n", "m.yaml");
        dags.pipeInput("moving", Events.toJson(DagApplied.of(unscheduled, "r3", clock.instant())));
        assertNull(entry("moving").nextTickAt());
        tickFor(Duration.ofMinutes(2));
        assertTrue(runIds().isEmpty());
        KeyValueStore<String, byte[]> ticks = driver.getKeyValueStore(StoreNames.DAG_TICKS);
        try (var it = ticks.all()) {
            assertTrue(!it.hasNext(), "no tick timer is left");
        }
    }

    @Test
    void aDagWhoseScheduleCannotBeHandledDoesNotHoldBackTheOthers() throws Exception {
        apply("good", "  every: 10s\n");
        // an entry that cannot be read, as a changelog could restore it (the owner never wrote it, so never read it)
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StoreNames.DAGS);
        store.put("bad", "{not json".getBytes(StandardCharsets.UTF_8));
        driver.<String, byte[]>getKeyValueStore(StoreNames.DAG_TICKS)
                .put(StoreNames.dagTickKey(START.plusSeconds(10), "bad"), new byte[0]);
        tickFor(Duration.ofSeconds(10));
        assertEquals(List.of("good.20261126T120010Z"), runIds());
        assertEquals(1, count("dagctl.schedule.ticks", "outcome", "fired"));
        KeyValueStore<String, byte[]> ticks = driver.getKeyValueStore(StoreNames.DAG_TICKS);
        assertTrue(
                ticks.get(StoreNames.dagTickKey(START.plusSeconds(70), "bad")) != null,
                "the failed DAG's timer comes back a minute later");
    }

    @Test
    void aTickRunIdFitsEvenForALongName() {
        String id = RunId.ofTick("n".repeat(128), Instant.parse("2026-01-01T00:00:00Z"));
        assertTrue(id.length() <= 128, id);
        assertTrue(id.endsWith(".20260101T000000Z"), id);
    }
}
