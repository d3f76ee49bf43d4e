package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/**
 * The run index: listings newest first with filters and a cursor, from the index alone; retention removes finished
 * runs by age and beyond a DAG's share, with their tasks, and leaves running runs alone.
 */
class RunIndexTopologyTest extends TopologyTestBase {

    private static final CoordinatorConfig.Retention RETENTION =
            new CoordinatorConfig.Retention(Duration.ofHours(1), 24, Duration.ofMinutes(1));

    @Override
    protected CoordinatorConfig config(Path stateDir) {
        CoordinatorConfig d = super.config(stateDir);
        return new CoordinatorConfig(d.connection(), d.partitioning(), d.timing(), d.limits(), RETENTION);
    }

    private KeyValueStore<String, byte[]> index() {
        return driver.getKeyValueStore(StoreNames.RUN_INDEX);
    }

    private List<RunSummary> page(RunIndex.RunFilter filter, int limit) {
        return RunIndex.newest(index(), filter, limit);
    }

    private static RunIndex.RunFilter any() {
        return new RunIndex.RunFilter(null, null, null, null, null, null);
    }

    private void run(String runId, String dag, boolean succeed) throws Exception {
        submit(runId, "name: " + dag + "\ntasks:\n  - {name: a, command: 'true'}\n  - {name: b, command: 'true'}\n");
        List<TaskDispatched> sent = dispatched(); // both tasks are roots
        if (succeed) {
            sent.forEach(this::succeed);
        }
        clock.advance(Duration.ofSeconds(1));
    }

    @Test
    void listsNewestFirstByFilterAndCursorWithoutGapsOrRepeats() throws Exception {
        for (int i = 0; i < 12; i++) {
            run(String.format("r%02d", i), i % 3 == 0 ? "etl" : "report", i % 4 != 3);
        }
        List<RunSummary> all = page(any(), 100);
        assertEquals(12, all.size());
        assertEquals("r11", all.get(0).runId(), "newest first");
        assertEquals(12, RunIndex.count(index(), null));
        assertEquals(4, RunIndex.count(index(), "etl"));

        List<String> paged = new ArrayList<>();
        String cursor = null;
        do {
            List<RunSummary> page = page(new RunIndex.RunFilter(null, null, null, null, null, cursor), 5);
            page.forEach(r -> paged.add(r.runId()));
            cursor = page.size() < 5
                    ? null
                    : RunIndex.position(page.get(4).submittedAt(), page.get(4).runId());
        } while (cursor != null);
        assertEquals(all.stream().map(RunSummary::runId).toList(), paged, "pages follow each other exactly");

        List<RunSummary> etl = page(new RunIndex.RunFilter(null, "etl", null, null, null, null), 100);
        assertEquals(
                List.of("r09", "r06", "r03", "r00"),
                etl.stream().map(RunSummary::runId).toList());
        List<RunSummary> running = page(new RunIndex.RunFilter(RunStatus.RUNNING, null, null, null, null, null), 100);
        assertEquals(
                List.of("r11", "r07", "r03"),
                running.stream().map(RunSummary::runId).toList());
        List<RunSummary> window =
                page(new RunIndex.RunFilter(null, null, "api", START.plusSeconds(2), START.plusSeconds(4), null), 100);
        assertEquals(
                List.of("r04", "r03", "r02"),
                window.stream().map(RunSummary::runId).toList());
    }

    @Test
    void retentionRemovesOldAndSurplusFinishedRunsWithTheirTasksAndKeepsRunningOnes() throws Exception {
        // 24 runs per DAG over 12 partitions: this single-partition driver keeps 2 runs of each DAG, finished or not
        for (int i = 0; i < 5; i++) {
            run("old" + i, "etl", true);
        }
        run("busy", "etl", false);
        advance(Duration.ofMinutes(1));
        List<String> kept = page(any(), 100).stream().map(RunSummary::runId).toList();
        assertEquals(
                List.of("busy", "old4"), kept, "the DAG's share of 2 runs: the running one and the newest finished");
        assertNull(driver.getKeyValueStore(StoreNames.RUNS).get("old0"), "the entry is gone");
        assertNull(driver.getKeyValueStore(StoreNames.TASKS).get(StoreNames.taskKey("old0", "a")), "and its tasks");
        assertEquals(2, RunIndex.count(index(), "etl"));

        advance(Duration.ofMinutes(61));
        kept = page(any(), 100).stream().map(RunSummary::runId).toList();
        assertEquals(List.of("busy"), kept, "finished over an hour ago: removed; running: kept");
        assertNotNull(run("busy"));
        assertTrue(
                new RunIndex(index()).activeRunIds().contains("busy"),
                "the index names the unfinished run for the next assignment");
    }
}
