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
    void mermaidIdsAreSafe() {
        String mermaid = GraphFormats.mermaid(dag);
        String id = "load_v2_" + Integer.toHexString("load.v2".hashCode());
        assertEquals(
                "flowchart LR\n  extract[\"extract\"]\n  " + id + "[\"load.v2\"]\n  extract --> " + id + "\n", mermaid);
    }
}
