package io.dagctl.core.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.model.TaskType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DagGraphTest {

    static TaskSpec task(String name, String... deps) {
        return new TaskSpec(
                name,
                TaskType.BASH,
                "true",
                List.of(deps),
                0,
                Duration.ofMinutes(5),
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                Map.of());
    }

    private static final DagSpec DIAMOND =
            new DagSpec("diamond", List.of(task("d", "b", "c"), task("b", "a"), task("c", "a"), task("a")));

    @Test
    void topologicalOrderPutsDependenciesFirst() {
        List<String> order = new DagGraph(DIAMOND).topologicalOrder();
        assertEquals(List.of("a", "b", "c", "d"), order);
    }

    @Test
    void readySetGrowsAsTasksComplete() {
        ReadinessTracker ready = new DagGraph(DIAMOND).readiness();
        assertEquals(List.of("a"), ready.initiallyReady());
        assertEquals(List.of("b", "c"), ready.complete("a"));
        assertEquals(List.of(), ready.complete("b"));
        assertEquals(List.of("d"), ready.complete("c"));
        assertEquals(List.of(), ready.complete("d"));
    }

    @Test
    void completingTwiceOrTooEarlyIsAnError() {
        ReadinessTracker ready = new DagGraph(DIAMOND).readiness();
        assertThrows(IllegalStateException.class, () -> ready.complete("d"));
        ready.complete("a");
        assertThrows(IllegalStateException.class, () -> ready.complete("a"));
    }

    @Test
    void longChainNeedsNoDeepRecursion() {
        List<TaskSpec> tasks = new ArrayList<>();
        tasks.add(task("t0"));
        for (int i = 1; i < 100_000; i++) {
            tasks.add(task("t" + i, "t" + (i - 1)));
        }
        List<String> order = new DagGraph(new DagSpec("chain", tasks)).topologicalOrder();
        assertEquals("t99999", order.get(order.size() - 1));
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (TaskSpec t : tasks) {
            edges.put(t.name(), t.dependencies());
        }
        edges.put("t0", List.of("t99999"));
        List<List<String>> cycles = CycleFinder.find(edges);
        assertEquals(1, cycles.size());
        assertEquals(100_001, cycles.get(0).size());
    }

    @Test
    void cycleFinderReportsEachCycleOnce() {
        Map<String, List<String>> edges = new LinkedHashMap<>();
        edges.put("a", List.of("b"));
        edges.put("b", List.of("a"));
        edges.put("c", List.of("c"));
        edges.put("d", List.of("a"));
        List<List<String>> cycles = CycleFinder.find(edges);
        assertEquals(List.of(List.of("a", "b", "a"), List.of("c", "c")), cycles);
    }

    @Test
    void cyclicGraphHasNoOrder() {
        DagSpec cyclic = new DagSpec("c", List.of(task("a", "b"), task("b", "a")));
        IllegalStateException e =
                assertThrows(IllegalStateException.class, () -> new DagGraph(cyclic).topologicalOrder());
        assertTrue(e.getMessage().contains("cycle"));
    }
}
