package io.dagctl.core.graph;

import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.TaskSpec;

/** A DAG as text for graph tools: Graphviz DOT or Mermaid. Edges point from a dependency to its dependent. */
public final class GraphFormats {

    private GraphFormats() {}

    public static String dot(DagSpec dag) {
        StringBuilder out =
                new StringBuilder("digraph ").append(quote(dag.name())).append(" {\n");
        out.append("  rankdir=LR;\n  node [shape=box, style=rounded];\n");
        for (TaskSpec task : dag.tasks()) {
            out.append("  ")
                    .append(quote(task.name()))
                    .append(" [label=\"")
                    .append(escape(task.name()))
                    .append("\\n(")
                    .append(task.type().yamlName())
                    .append(")\"];\n");
        }
        for (TaskSpec task : dag.tasks()) {
            for (String dep : task.dependencies()) {
                out.append("  ")
                        .append(quote(dep))
                        .append(" -> ")
                        .append(quote(task.name()))
                        .append(";\n");
            }
        }
        return out.append("}\n").toString();
    }

    public static String mermaid(DagSpec dag) {
        StringBuilder out = new StringBuilder("flowchart LR\n");
        for (TaskSpec task : dag.tasks()) {
            out.append("  ")
                    .append(id(task.name()))
                    .append("[\"")
                    .append(task.name())
                    .append("\"]\n");
        }
        for (TaskSpec task : dag.tasks()) {
            for (String dep : task.dependencies()) {
                out.append("  ")
                        .append(id(dep))
                        .append(" --> ")
                        .append(id(task.name()))
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static String quote(String s) {
        return "\"" + escape(s) + "\"";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    /** Mermaid ids may not contain '.' or '-': map them to '_' and add a hash to keep distinct names distinct. */
    private static String id(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9_]", "_");
        return safe.equals(name) ? name : safe + "_" + Integer.toHexString(name.hashCode());
    }
}
