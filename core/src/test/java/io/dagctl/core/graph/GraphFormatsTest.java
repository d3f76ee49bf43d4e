package io.dagctl.core.graph;

import static io.dagctl.core.graph.DagGraphTest.task;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dagctl.core.model.DagSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphFormatsTest {

    private final DagSpec dag = new DagSpec("etl", List.of(task("extract"), task("load.v2", "extract")));

    @Test
    void dotHasANodePerTaskAndAnEdgePerDependency() {
        assertEquals("""
                digraph "etl" {
                  rankdir=LR;
                  node [shape=box, style=rounded];
                  "extract" [label="extract\\n(bash)"];
                  "load.v2" [label="load.v2\\n(bash)"];
                  "extract" -> "load.v2";
                }
                """, GraphFormats.dot(dag));
    }

    @Test
    void rulesAndConditionsLabelTheEdges() throws Exception {
        DagSpec flow = new io.dagctl.core.parse.DagParser().parse("""
                        name: flow
                        tasks:
                          - {name: pick, command: "true", when: "params.go == 'yes'"}
                          - {name: left, dependencies: [pick], when: "tasks.pick.outputs.side == \\"left\\"", command: "true"}
                          - {name: join, dependencies: [left], trigger_rule: none_failed_min_one_success, command: "true"}
                        """, "flow.yaml");
        String dot = GraphFormats.dot(flow);
        org.junit.jupiter.api.Assertions.assertTrue(
                dot.contains("\"pick\" [label=\"pick\\n(bash)\\nwhen params.go == 'yes'\"];"), dot);
        org.junit.jupiter.api.Assertions.assertTrue(
                dot.contains("\"pick\" -> \"left\" [label=\"when tasks.pick.outputs.side == \\\"left\\\"\"];"), dot);
        org.junit.jupiter.api.Assertions.assertTrue(
                dot.contains("\"left\" -> \"join\" [label=\"none_failed_min_one_success\"];"), dot);
        String mermaid = GraphFormats.mermaid(flow);
        org.junit.jupiter.api.Assertions.assertTrue(
                mermaid.contains("left -- \"none_failed_min_one_success\" --> join"), mermaid);
        org.junit.jupiter.api.Assertions.assertTrue(mermaid.contains("#quot;left#quot;"), mermaid);
    }

    @Test
    void mermaidIdsAreSafe() {
        String mermaid = GraphFormats.mermaid(dag);
        String id = "load_v2_" + Integer.toHexString("load.v2".hashCode());
        assertEquals(
                "flowchart LR\n  extract[\"extract\"]\n  " + id + "[\"load.v2\"]\n  extract --> " + id + "\n", mermaid);
    }
}
