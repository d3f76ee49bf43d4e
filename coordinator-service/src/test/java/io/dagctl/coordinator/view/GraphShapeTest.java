package io.dagctl.coordinator.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class GraphShapeTest {

    private static GraphShape.Task task(String name, String... dependents) {
        return new GraphShape.Task(name, List.of(dependents), null, null, false);
    }

    /** One root, {@code width} tasks after it, one join after them. */
    private static List<GraphShape.Task> fanOut(int width) {
        List<GraphShape.Task> tasks = new ArrayList<>();
        List<String> middle = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            middle.add("m" + i);
        }
        tasks.add(new GraphShape.Task("root", middle, null, null, false));
        for (String m : middle) {
            tasks.add(task(m, "join"));
        }
        tasks.add(new GraphShape.Task("join", List.of(), "all_done", null, false));
        return tasks;
    }

    private static List<GraphShape.Task> chain(int length) {
        List<GraphShape.Task> tasks = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            tasks.add(i + 1 < length ? task("c" + i, "c" + (i + 1)) : task("c" + i));
        }
        return tasks;
    }

    @Test
    void aSmallDagShowsEveryTaskWithItsRulesOnTheArrows() {
        GraphShape shape = GraphShape.of(fanOut(3), Set.of());
        assertFalse(shape.aggregated());
        assertEquals(5, shape.nodes().size());
        assertEquals(6, shape.edges().size());
        assertEquals(
                Set.of("all_done"),
                shape.edges().stream()
                        .filter(e -> e.to().equals("join"))
                        .map(GraphShape.Edge::label)
                        .collect(Collectors.toSet()));
        assertEquals(2, shape.nodes().get(4).level(), "the join is two levels down");
    }

    @Test
    void aFanOutOfOneHundredThousandIsThreeBoxes() {
        GraphShape shape = GraphShape.of(fanOut(99_998), Set.of());
        assertTrue(shape.aggregated());
        assertEquals(
                List.of("root", "g1", "join"),
                shape.nodes().stream().map(GraphShape.Node::id).toList());
        GraphShape.Node group = shape.nodes().get(1);
        assertEquals(99_998, group.size());
        assertTrue(group.expandable());
        assertEquals(2, shape.edges().size(), "root → group → join, each once");
        assertEquals(null, shape.edges().get(0).label(), "arrows of a group carry no rule");
    }

    @Test
    void aChainOfOneHundredThousandIsAtMostThirtyBands() {
        GraphShape shape = GraphShape.of(chain(100_000), Set.of());
        assertTrue(shape.nodes().size() <= GraphShape.MAX_BANDS, shape.nodes().size() + " boxes");
        assertEquals(
                100_000, shape.nodes().stream().mapToInt(GraphShape.Node::size).sum());
        assertEquals(shape.nodes().size() - 1, shape.edges().size(), "the bands are a chain");
    }

    @Test
    void anExpandedGroupShowsItsFirstTwoHundredTasksAndTheRestAsOneBox() {
        GraphShape shape = GraphShape.of(fanOut(1_000), Set.of("g1"));
        Map<String, Long> kinds = shape.nodes().stream()
                .collect(Collectors.groupingBy(n -> n.kind().name(), Collectors.counting()));
        assertEquals(202, kinds.get("TASK"), "root, join and 200 of the middle");
        assertEquals(1, kinds.get("GROUP"));
        GraphShape.Node rest = shape.nodes().stream()
                .filter(n -> n.kind() == GraphShape.Kind.GROUP)
                .findFirst()
                .orElseThrow();
        assertEquals("g1-rest", rest.id());
        assertEquals(800, rest.size());
        assertFalse(rest.expandable());
        assertEquals("g1-rest", shape.nodeOfTask().get("m999"));
        assertEquals("m0", shape.nodeOfTask().get("m0"));
    }

    @Test
    void theLayoutGoesLeftToRightAndPlacesEveryBox() {
        GraphShape shape = GraphShape.of(fanOut(4), Set.of());
        GraphLayout.Placed placed = GraphLayout.place(shape);
        assertEquals(6, placed.boxes().size());
        double root = placed.boxes().get("root").x();
        double middle = placed.boxes().get("m2").x();
        double join = placed.boxes().get("join").x();
        assertTrue(root < middle && middle < join, root + " < " + middle + " < " + join);
        assertEquals(shape.edges().size(), placed.routes().size());
        placed.routes().forEach(route -> assertTrue(route.size() >= 2, "every arrow has a start and an end"));
    }

    @Test
    void openingEveryGroupStaysWithinTheBoxBudget() {
        List<GraphShape.Task> tasks = new ArrayList<>();
        int levels = 20;
        int width = 1_000;
        for (int l = 0; l < levels; l++) {
            for (int i = 0; i < width; i++) {
                tasks.add(l + 1 < levels ? task("t" + l + "_" + i, "t" + (l + 1) + "_" + i) : task("t" + l + "_" + i));
            }
        }
        Set<String> all = new java.util.HashSet<>();
        for (int b = 0; b < levels; b++) {
            all.add("g" + b);
        }
        GraphShape shape = GraphShape.of(tasks, all);
        assertTrue(shape.nodes().size() <= GraphShape.MAX_BOXES, shape.nodes().size() + " boxes");
        assertEquals(
                levels * width,
                shape.nodes().stream().mapToInt(GraphShape.Node::size).sum(),
                "every task is in a box");
        assertEquals(levels * width, shape.nodeOfTask().size());
    }
}
