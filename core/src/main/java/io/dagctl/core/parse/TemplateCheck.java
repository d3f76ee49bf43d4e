package io.dagctl.core.parse;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.model.ParamSpec;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.model.TriggerRule;
import io.dagctl.core.template.ExpressionException;
import io.dagctl.core.template.Expressions;
import io.dagctl.core.template.References;
import io.dagctl.core.template.Template;
import io.dagctl.core.template.TemplateException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Checks every template ({@code command}, {@code env} values) and condition ({@code when}) of a DAG whose structure is
 * valid: syntax, the names they read, and that each task they read is upstream of the task that reads it (directly or
 * transitively), since only an upstream task has ended by the time the reader starts.
 */
final class TemplateCheck {

    /** A literal {@code for_each} list as JSON: it travels in the task's spec. */
    static final int MAX_LITERAL_LIST_BYTES = 64 * 1024;

    private final NodeReader reader;
    /** Each task's dependents, and the tasks downstream of a task once asked (a task read by many is walked once). */
    private final Map<String, List<String>> dependents = new HashMap<>();

    private final Map<String, Set<String>> downstream = new HashMap<>();
    private final Map<String, TaskDraft> byName;
    private final Map<String, ParamSpec> params;

    TemplateCheck(NodeReader reader, Map<String, TaskDraft> byName, Map<String, ParamSpec> params) {
        this.reader = reader;
        this.byName = byName;
        this.params = params;
        byName.values()
                .forEach(task -> task.dependencies.forEach(d -> dependents
                        .computeIfAbsent(d.name(), k -> new ArrayList<>())
                        .add(task.name)));
    }

    void check() {
        for (TaskDraft task : byName.values()) {
            if (Template.mayHold(task.command)) {
                template(task, "command", task.command, task.commandNode, task.commandMark);
            }
            task.env.forEach((name, value) -> {
                if (Template.mayHold(value)) {
                    template(task, "env." + name, value, task.envNodes.get(name), task.mark);
                }
            });
            if (task.when != null) {
                condition(task);
            }
            forEach(task);
            if (task.poolSlots != null && task.pool == null) {
                reader.problem(task.poolSlotsMark, task.name, "pool_slots", "pool_slots needs pool");
            }
        }
    }

    /** A literal list within the limit, or a template that may give one; max_instances only with it. */
    private void forEach(TaskDraft task) {
        if (task.forEach == null) {
            if (task.maxInstances != null) {
                reader.problem(task.maxInstancesMark, task.name, "max_instances", "max_instances needs for_each");
            }
            return;
        }
        int limit = task.maxInstances != null ? task.maxInstances : TaskSpec.DEFAULT_MAX_INSTANCES;
        if (task.forEach instanceof List<?> list) {
            int bytes = Events.toJson(list).length;
            if (bytes > MAX_LITERAL_LIST_BYTES) {
                reader.problem(
                        task.forEachNode.getStartMark(),
                        task.name,
                        "for_each",
                        "the list is " + bytes + " bytes as JSON; a literal list may hold "
                                + RecordLimits.describe(MAX_LITERAL_LIST_BYTES)
                                + " (a longer list can come from a task's output)");
            } else if (list.size() > limit) {
                reader.problem(
                        task.forEachNode.getStartMark(),
                        task.name,
                        "for_each",
                        "the list has " + list.size() + " items; max_instances is " + limit + " (at most "
                                + TaskSpec.MAX_INSTANCES_LIMIT + ")");
            }
            return;
        }
        String text = (String) task.forEach;
        ScalarNode node = task.forEachNode instanceof ScalarNode scalar ? scalar : null;
        if (!Template.mayHold(text)) {
            reader.problem(
                    task.forEachNode.getStartMark(),
                    task.name,
                    "for_each",
                    "for_each takes a list, or a template that gives one such as \"{{ tasks.list.outputs.files }}\";"
                            + " found the text '" + abbreviate(text) + "'");
            return;
        }
        Template template;
        try {
            template = Template.parse(text);
        } catch (TemplateException e) {
            problem(task, "for_each", node, task.mark, text, e.offset(), e.getMessage());
            return;
        }
        for (Template.Placeholder p : template.placeholders()) {
            String wrong = wrongReference(task, p.expression().references(), false);
            if (wrong != null) {
                problem(task, "for_each", node, task.mark, text, p.offset(), "in " + p.text() + ": " + wrong);
            }
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 60 ? text.substring(0, 59) + "…" : text;
    }

    private void template(TaskDraft task, String field, String text, ScalarNode node, Mark fallback) {
        Template template;
        try {
            template = Template.parse(text);
        } catch (TemplateException e) {
            problem(task, field, node, fallback, text, e.offset(), e.getMessage());
            return;
        }
        for (Template.Placeholder p : template.placeholders()) {
            String wrong = wrongReference(task, p.expression().references(), task.forEach != null);
            if (wrong != null) {
                problem(task, field, node, fallback, text, p.offset(), "in " + p.text() + ": " + wrong);
            }
        }
    }

    private void condition(TaskDraft task) {
        String source = Expressions.conditionExpression(task.when);
        Expressions.Compiled compiled;
        try {
            compiled = Expressions.shared().compile(source);
        } catch (ExpressionException e) {
            problem(task, "when", task.whenNode, task.mark, task.when, 0, e.getMessage());
            return;
        }
        if (!compiled.maybeBoolean()) {
            problem(task, "when", task.whenNode, task.mark, task.when, 0, "the condition must be true or false");
            return;
        }
        String wrong = wrongReference(task, compiled.references(), false);
        if (wrong != null) {
            problem(task, "when", task.whenNode, task.mark, task.when, 0, wrong);
        }
    }

    /** What is wrong with what an expression reads, or null. */
    private String wrongReference(TaskDraft task, References refs, boolean itemAllowed) {
        for (String name : refs.tasks().keySet()) {
            if (!byName.containsKey(name)) {
                return "unknown task '" + name + "'" + Suggestions.hint(name, byName.keySet());
            }
            if (name.equals(task.name)) {
                return "a task cannot read its own outputs or status";
            }
            if (!isUpstream(name, task)) {
                return "task '" + name + "' is not upstream of '" + task.name
                        + "'; add it to dependencies (directly or through another task) so it has ended first";
            }
            if (task.triggerRule == TriggerRule.ALWAYS) {
                return "trigger_rule always starts the task without waiting for its upstream tasks, so it cannot"
                        + " read tasks." + name;
            }
        }
        if (!params.isEmpty()) {
            for (String param : refs.params()) {
                if (!params.containsKey(param)) {
                    return "unknown parameter '" + param + "'" + Suggestions.hint(param, params.keySet())
                            + "; the DAG declares " + String.join(", ", params.keySet());
                }
            }
        }
        if (refs.usesItem() && !itemAllowed) {
            return task.forEach == null
                    ? "'item' is only defined in a task with for_each"
                    : "'item' is defined in the command and env of each instance, not in when or for_each";
        }
        return null;
    }

    /** Whether {@code task} is downstream of {@code upstream}, directly or transitively. */
    private boolean isUpstream(String upstream, TaskDraft task) {
        return downstream.computeIfAbsent(upstream, this::walkDownstream).contains(task.name);
    }

    private Set<String> walkDownstream(String from) {
        Set<String> seen = new HashSet<>();
        Deque<String> frontier = new ArrayDeque<>(dependents.getOrDefault(from, List.of()));
        while (!frontier.isEmpty()) {
            String name = frontier.poll();
            if (seen.add(name)) {
                frontier.addAll(dependents.getOrDefault(name, List.of()));
            }
        }
        return seen;
    }

    /** Reports a problem at the line and column of {@code offset} inside a scalar's text, where that can be known. */
    private void problem(
            TaskDraft task, String field, ScalarNode node, Mark fallback, String text, int offset, String message) {
        if (node == null) {
            reader.problem(fallback, task.name, field, message);
            return;
        }
        Mark mark = node.getStartMark();
        int newlines = 0;
        int lineStart = -1;
        for (int i = 0; i < offset && i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                newlines++;
                lineStart = i;
            }
        }
        boolean block = node.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL
                || node.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED;
        boolean quoted = node.getScalarStyle() == DumperOptions.ScalarStyle.SINGLE_QUOTED
                || node.getScalarStyle() == DumperOptions.ScalarStyle.DOUBLE_QUOTED;
        if (block || newlines > 0) {
            // a block scalar's text starts on the line after its indicator; its indentation is not known here
            reader.problemAt(
                    mark.getLine() + 1 + newlines + (block ? 1 : 0), offset - lineStart, task.name, field, message);
        } else {
            reader.problemAt(
                    mark.getLine() + 1, mark.getColumn() + 1 + offset + (quoted ? 1 : 0), task.name, field, message);
        }
    }
}
