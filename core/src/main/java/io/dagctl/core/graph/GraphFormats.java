package io.dagctl.core.graph;

import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.model.TriggerRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A DAG as text for graph tools: Graphviz DOT or Mermaid. Edges point from a dependency to its dependent, labelled with
 * the dependent's trigger rule (when it is not all_success) and condition; a task's condition without upstream tasks is
 * shown in its node.
 */
public final class GraphFormats {

    private static final int LABEL_CHARS = 40;

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
                    .append(mapped(task))
                    .append(')')
                    .append(nodeNote(task).map(n -> "\\n" + escape(n)).orElse(""))
                    .append("\"];\n");
        }
        for (TaskSpec task : dag.tasks()) {
            Optional<String> label = edgeLabel(task);
            for (String dep : task.dependencies()) {
                out.append("  ")
                        .append(quote(dep))
                        .append(" -> ")
                        .append(quote(task.name()))
                        .append(label.map(l -> " [label=" + quote(l) + "]").orElse(""))
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
                    .append(task.isMapped() ? " (" + mapped(task).substring(2) + ")" : "")
                    .append(nodeNote(task).map(n -> "<br/>" + mermaidText(n)).orElse(""))
                    .append("\"]\n");
        }
        for (TaskSpec task : dag.tasks()) {
            Optional<String> label = edgeLabel(task);
            for (String dep : task.dependencies()) {
                out.append("  ")
                        .append(id(dep))
                        .append(label.map(l -> " -- \"" + mermaidText(l) + "\" --> ")
                                .orElse(" --> "))
                        .append(id(task.name()))
                        .append('\n');
            }
        }
        return out.toString();
    }

    /** The rule and condition on the edges into a task, when it has either. */
    static Optional<String> edgeLabel(TaskSpec task) {
        List<String> parts = new ArrayList<>();
        if (task.rule() != TriggerRule.ALL_SUCCESS) {
            parts.add(task.rule().yamlName());
        }
        if (task.when() != null) {
            parts.add("when " + abbreviate(task.when()));
        }
        return parts.isEmpty() ? Optional.empty() : Optional.of(String.join(", ", parts));
    }

    /** A mapped task is one node: ", ×N" for a literal list, ", for_each" when the list comes at run time. */
    private static String mapped(TaskSpec task) {
        if (!task.isMapped()) {
            return "";
        }
        return task.forEach() instanceof List<?> list ? ", ×" + list.size() : ", for_each";
    }

    /** What a node says beyond its name: the condition of a task that has no edge to carry it. */
    private static Optional<String> nodeNote(TaskSpec task) {
        return task.dependencies().isEmpty() && task.when() != null
                ? Optional.of("when " + abbreviate(task.when()))
                : Optional.empty();
    }

    private static String abbreviate(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        return line.length() <= LABEL_CHARS ? line : line.substring(0, LABEL_CHARS - 1) + "…";
    }

    /** Mermaid's quoted text takes no double quotes: they are written as #quot; */
    private static String mermaidText(String text) {
        return text.replace("\"", "#quot;");
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
