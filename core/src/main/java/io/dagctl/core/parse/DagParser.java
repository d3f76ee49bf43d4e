package io.dagctl.core.parse;

import io.dagctl.core.graph.CycleFinder;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.TaskSpec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * Parses and validates a DAG document (YAML, or JSON). Every problem is collected — syntax, unknown fields, wrong
 * types, missing fields, duplicate names, unknown dependencies and cycles — and reported together with its location.
 */
public final class DagParser {

    public static final int DEFAULT_MAX_CHARS = 32 * 1024 * 1024;
    static final List<String> TOP_LEVEL_FIELDS = List.of("name", "tasks");

    private final YamlSource yamlSource;
    private final int maxTasks;

    public DagParser() {
        this(DEFAULT_MAX_CHARS, 200_000);
    }

    public DagParser(int maxChars, int maxTasks) {
        this.yamlSource = new YamlSource(maxChars);
        this.maxTasks = maxTasks;
    }

    public DagSpec parse(Path file) throws IOException, DagValidationException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString());
    }

    public DagSpec parse(String text, String file) throws DagValidationException {
        List<Problem> problems = new ArrayList<>();
        NodeReader reader = new NodeReader(file, problems);
        Optional<Node> root = yamlSource.compose(text, file, problems);
        if (root.isEmpty()) {
            if (problems.isEmpty()) {
                problems.add(new Problem(file, 1, 1, null, null, "the document is empty; expected 'name' and 'tasks'"));
            }
            throw new DagValidationException(problems);
        }
        if (!(root.get() instanceof MappingNode mapping)) {
            reader.problem(
                    root.get().getStartMark(),
                    null,
                    null,
                    "expected a mapping with 'name' and 'tasks', found " + NodeReader.describe(root.get()));
            throw new DagValidationException(problems);
        }
        String[] name = {null};
        List<TaskDraft> drafts = new ArrayList<>();
        boolean[] sawName = {false};
        boolean[] sawTasks = {false};
        reader.fields(mapping, null, TOP_LEVEL_FIELDS, (field, value) -> {
            if (field.equals("name")) {
                sawName[0] = true;
                name[0] = reader.text(value, null, "name").orElse(null);
            } else {
                sawTasks[0] = true;
                readTasks(value, reader, drafts);
            }
        });
        if (!sawName[0]) {
            reader.problem(mapping.getStartMark(), null, "name", "missing required field 'name'");
        }
        if (!sawTasks[0]) {
            reader.problem(mapping.getStartMark(), null, "tasks", "missing required field 'tasks'");
        }
        new DependencyCheck(reader).check(drafts);
        if (!problems.isEmpty()) {
            throw new DagValidationException(problems);
        }
        List<TaskSpec> tasks = drafts.stream().map(TaskDraft::toSpec).toList();
        return new DagSpec(name[0], tasks);
    }

    private void readTasks(Node value, NodeReader reader, List<TaskDraft> drafts) {
        if (!(value instanceof SequenceNode sequence)) {
            reader.problem(
                    value.getStartMark(),
                    null,
                    "tasks",
                    "expected a list of tasks, found " + NodeReader.describe(value));
            return;
        }
        if (sequence.getValue().isEmpty()) {
            reader.problem(
                    value.getStartMark(), null, "tasks", "the task list is empty; a DAG needs at least one task");
            return;
        }
        if (sequence.getValue().size() > maxTasks) {
            reader.problem(
                    value.getStartMark(),
                    null,
                    "tasks",
                    "the DAG has " + sequence.getValue().size() + " tasks, more than the limit of " + maxTasks);
            return;
        }
        TaskReader taskReader = new TaskReader(reader);
        List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++) {
            drafts.add(taskReader.read(items.get(i), i));
        }
    }

    /** Duplicate names, unknown dependencies and cycles: the checks that need every task. */
    private static final class DependencyCheck {
        private final NodeReader reader;

        DependencyCheck(NodeReader reader) {
            this.reader = reader;
        }

        void check(List<TaskDraft> drafts) {
            Map<String, TaskDraft> byName = new LinkedHashMap<>();
            for (TaskDraft draft : drafts) {
                if (draft.name == null) {
                    continue;
                }
                TaskDraft first = byName.putIfAbsent(draft.name, draft);
                if (first != null) {
                    reader.problem(
                            draft.nameMark,
                            draft.name,
                            "name",
                            "duplicate task name '" + draft.name + "' (first declared on line "
                                    + (first.nameMark.getLine() + 1) + ")");
                }
            }
            Map<String, List<String>> edges = new LinkedHashMap<>();
            for (TaskDraft draft : byName.values()) {
                List<String> known = new ArrayList<>();
                for (TaskDraft.Dependency dep : draft.dependencies) {
                    if (byName.containsKey(dep.name())) {
                        known.add(dep.name());
                    } else {
                        reader.problem(
                                dep.mark(),
                                draft.name,
                                "dependencies",
                                "unknown dependency '" + dep.name() + "'"
                                        + Suggestions.hint(dep.name(), byName.keySet()));
                    }
                }
                edges.put(draft.name, known);
            }
            for (List<String> cycle : CycleFinder.find(edges)) {
                TaskDraft first = byName.get(cycle.get(0));
                String what = cycle.size() == 2 ? "task depends on itself: " : "dependency cycle: ";
                reader.problem(
                        first.dependenciesMark != null ? first.dependenciesMark : first.mark,
                        first.name,
                        "dependencies",
                        what + String.join(" → ", cycle));
            }
        }
    }
}
