package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.DagApplied;
import io.dagctl.core.event.DagBackfillCancelled;
import io.dagctl.core.event.DagBackfillRequested;
import io.dagctl.core.event.DagDeleted;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.model.Backfill;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.parse.DagParser;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Backfills of a stored DAG: every tick of the window once, oldest first, bounded, skipping ticks that have a run. */
class BackfillTopologyTest extends TopologyTestBase {

    private static final Instant FROM = Instant.parse("2026-11-26T06:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-26T10:00:00Z");

    private TestInputTopic<String, byte[]> dags;
    private int requests;

    @BeforeEach
    void dagsTopic() throws Exception {
        dags = driver.createInputTopic(TOPICS.dags(), new StringSerializer(), new ByteArraySerializer());
        DagSpec dag = new DagParser()
                .parse(
                        "name: hourly\nparams:\n  region: eu\nschedule:\n  every: 1h\n  paused: true\n"
                                + "  start: 2020-01-01T00:00:00Z\n"
                                + "tasks:\n  - {name: t, command: 'true'}\n",
                        "hourly.yaml");
        dags.pipeInput("hourly", Events.toJson(DagApplied.of(dag, "apply", clock.instant())));
    }

    private DagEntry.Outcome backfill(Instant from, Instant to, int maxParallel, boolean rerun, String key) {
        String requestId = "backfill-" + ++requests;
        dags.pipeInput(
                "hourly",
                Events.toJson(DagBackfillRequested.of(
                        "hourly",
                        1,
                        from,
                        to,
                        maxParallel,
                        rerun,
                        Map.of("region", "us"),
                        key,
                        requestId,
                        clock.instant())));
        return entry().outcomes().get(requestId);
    }

    private DagEntry entry() {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StoreNames.DAGS);
        return Events.fromJson(store.get("hourly"), DagEntry.class);
    }

    private Backfill backfill(int id) {
        return entry().backfill(id);
    }

    private List<String> runIds() {
        KeyValueStore<String, byte[]> runs = driver.getKeyValueStore(StoreNames.RUNS);
        List<String> ids = new ArrayList<>();
        try (var it = runs.all()) {
            it.forEachRemaining(kv -> ids.add(kv.key));
        }
        return ids;
    }

    @Test
    void aRetriedBackfillRunDoesNotHoldBackTheSchedule() {
        backfill(FROM, FROM, 1, false, null);
        String runId = "hourly.20261126T060000Z";
        fail(dispatched().get(0));
        assertEquals(RunStatus.FAILED, run(runId).status());
        commands.pipeInput(runId, Events.toJson(TaskRetryRequested.of(runId, clock.instant())));
        assertEquals(RunStatus.RUNNING, run(runId).status());
        assertEquals(List.of(), entry().unfinishedRuns(), "backfill runs are not the schedule's unfinished runs");
    }

    @Test
    void runsEveryTickOfTheWindowOldestFirstNeverMoreThanMaxParallelAtOnce() {
        DagEntry.Outcome outcome = backfill(FROM, TO, 2, false, null);
        assertNull(outcome.refused());
        assertEquals(1, outcome.backfill());
        Backfill started = backfill(1);
        assertEquals(5, started.ticks(), "06:00 to 10:00, both included");
        assertEquals(List.of("hourly.20261126T060000Z", "hourly.20261126T070000Z"), started.running());
        RunEntry first = run("hourly.20261126T060000Z");
        assertEquals("backfill", first.trigger());
        assertEquals(FROM, first.logicalDate());
        assertEquals(Map.of("region", "us"), first.params());
        int maxRunning = 0;
        List<TaskDispatched> sent;
        while (!(sent = dispatched()).isEmpty()) {
            maxRunning = Math.max(maxRunning, backfill(1).running().size());
            for (TaskDispatched d : sent) {
                if (d.runId().endsWith("T080000Z")) {
                    fail(d);
                } else {
                    succeed(d);
                }
            }
        }
        assertEquals(2, maxRunning);
        Backfill ended = backfill(1);
        assertEquals(RunStatus.FAILED, ended.status(), "one run failed");
        assertEquals(5, ended.started());
        assertEquals(4, ended.succeeded());
        assertEquals(1, ended.failed());
        assertEquals(List.of(), ended.running());
        assertNotNull(ended.endedAt());
        assertEquals(5, runIds().size());
        assertEquals(List.of(), entry().unfinishedRuns(), "backfill runs do not hold back the schedule");
    }

    @Test
    void ticksThatHaveARunAreSkippedUnlessRerunWhichStartsNewRuns() {
        backfill(FROM, FROM.plusSeconds(3600), 4, false, null);
        dispatched().forEach(this::succeed);
        assertEquals(RunStatus.SUCCESS, backfill(1).status());

        backfill(FROM, TO, 4, false, null); // 06:00 and 07:00 ran already
        Backfill second = backfill(2);
        assertEquals(2, second.skipped());
        assertEquals(3, second.started());
        while (!dispatched().isEmpty()) {
            // drain: the DAG's runs go on
        }
        List<String> before = runIds();
        assertEquals(5, before.size());

        backfill(FROM, FROM, 1, true, null);
        assertEquals(List.of("hourly.20261126T060000Z-b3"), backfill(3).running(), "a rerun is a run of its own");
        assertEquals(RunStatus.SUCCESS, run("hourly.20261126T060000Z").status(), "the earlier run stays");
        assertTrue(runIds().contains("hourly.20261126T060000Z-b3"));
    }

    @Test
    void cancellingStopsItsTicksAndCancelsItsRuns() {
        backfill(FROM, TO, 1, false, null);
        dags.pipeInput("hourly", Events.toJson(DagBackfillCancelled.of("hourly", 1, "cancel", clock.instant())));
        Backfill cancelled = backfill(1);
        assertEquals(RunStatus.CANCELLED, cancelled.status());
        assertTrue(entry().outcomes().get("cancel").changed());
        RunStatus run = run("hourly.20261126T060000Z").status();
        assertTrue(run == RunStatus.CANCELLING || run == RunStatus.CANCELLED, run.toString());
        while (!dispatched().isEmpty()) {
            // nothing more starts
        }
        assertEquals(List.of("hourly.20261126T060000Z"), runIds());
    }

    @Test
    void theSameIdempotencyKeyFindsTheSameBackfill() {
        DagEntry.Outcome first = backfill(FROM, TO, 1, false, "nightly-fix");
        DagEntry.Outcome again = backfill(FROM, TO, 1, false, "nightly-fix");
        assertEquals(first.backfill(), again.backfill());
        assertTrue(first.changed());
        assertEquals(false, again.changed());
        assertEquals(1, entry().backfills().size());
    }

    @Test
    void aWindowWithoutTicksOrTooManyBackfillsIsRefusedAndNothingStarts() {
        DagEntry.Outcome empty = backfill(FROM.plusSeconds(60), FROM.plusSeconds(120), 1, false, null);
        assertTrue(empty.refused().startsWith("no tick of DAG 'hourly'"), empty.refused());
        for (int i = 0; i < DagEntry.MAX_ACTIVE_BACKFILLS; i++) {
            backfill(FROM, TO, 1, true, null);
        }
        DagEntry.Outcome tooMany = backfill(FROM, TO, 1, true, null);
        assertTrue(tooMany.refused().contains("backfills running"), tooMany.refused());
        assertEquals(DagEntry.MAX_ACTIVE_BACKFILLS, entry().backfills().size());
    }

    @Test
    void deletingTheDagEndsItsBackfills() {
        backfill(FROM, TO, 1, false, null);
        dags.pipeInput("hourly", Events.toJson(DagDeleted.of("hourly", "delete", clock.instant())));
        assertEquals(RunStatus.CANCELLED, backfill(1).status());
        assertEquals("the DAG was deleted", backfill(1).reason());
    }
}
