package io.dagctl.core.parse;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.graph.CycleFinder;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.ParamSpec;
import io.dagctl.core.model.ScheduleSpec;
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
    static final List<String> TOP_LEVEL_FIELDS =
            List.of("name", "params", "schedule", "max_active_tasks", "max_active_runs", "queue", "tasks");

    private final YamlSource yamlSource;
    private final int maxTasks;

    public DagParser() {
        this(DEFAULT_MAX_CHARS, 200_000);
    }

    public DagParser(int maxChars, int maxTasks) {
        this.yamlSource = new YamlSource(maxChars);
        this.maxTasks = maxTasks;
    }

    /** Parses a DAG file; {@code command_file} names a file relative to its directory. */
    public DagSpec parse(Path file) throws IOException, DagValidationException {
        return parse(Files.readString(file, StandardCharsets.UTF_8), file.toString(), commandFilesNextTo(file));
    }

    /** Parses a DAG that is not a local file (the API's request body): {@code command_file} is refused. */
    public DagSpec parse(String text, String file) throws DagValidationException {
        return parse(text, file, null);
    }

    /** The reader of the files a DAG file names with {@code command_file}: next to the DAG file. */
    public static CommandFiles commandFilesNextTo(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return new CommandFiles(parent != null ? parent : Path.of("."));
    }

    /**
     * Parses a DAG document.
     *
     * @param commandFiles reads {@code command_file}; null where there are no files to read
     */
    public DagSpec parse(String text, String file, CommandFiles commandFiles) throws DagValidationException {
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
        Map<String, ParamSpec> params = new LinkedHashMap<>();
        ScheduleSpec[] schedule = {null};
        Integer[] maxActiveTasks = {null};
        Integer[] maxActiveRuns = {null};
        String[] queue = {null};
        List<TaskDraft> drafts = new ArrayList<>();
        boolean[] sawName = {false};
        boolean[] sawTasks = {false};
        reader.fields(mapping, null, TOP_LEVEL_FIELDS, (field, value) -> {
            if (field.equals("name")) {
                sawName[0] = true;
                name[0] = reader.text(value, null, "name").orElse(null);
            } else if (field.equals("params")) {
                params.putAll(new ParamsReader(reader).read(value));
            } else if (field.equals("schedule")) {
                schedule[0] = reader.isNull(value)
                        ? null
                        : new ScheduleReader(reader).read(value).orElse(null);
            } else if (field.equals("queue")) {
                queue[0] = TaskReader.readQueue(reader, value, null).orElse(null);
            } else if (field.equals("max_active_tasks")) {
                maxActiveTasks[0] = reader.integer(value, null, "max_active_tasks", 1, DagSpec.MAX_ACTIVE_TASKS_LIMIT)
                        .orElse(null);
            } else if (field.equals("max_active_runs")) {
                maxActiveRuns[0] = reader.integer(value, null, "max_active_runs", 1, DagSpec.MAX_ACTIVE_RUNS_LIMIT)
                        .orElse(null);
            } else {
                sawTasks[0] = true;
                readTasks(value, reader, drafts, commandFiles);
            }
        });
        if (!sawName[0]) {
            reader.problem(mapping.getStartMark(), null, "name", "missing required field 'name'");
        }
        if (!sawTasks[0]) {
            reader.problem(mapping.getStartMark(), null, "tasks", "missing required field 'tasks'");
        }
        new DependencyCheck(reader).check(drafts);
        Map<String, TaskDraft> byName = new LinkedHashMap<>();
        drafts.stream().filter(d -> d.name != null).forEach(d -> byName.putIfAbsent(d.name, d));
        new TemplateCheck(reader, byName, params).check();
        if (schedule[0] != null) {
            params.values().stream()
                    .filter(p -> p.required() && p.defaultValue() == null)
                    .forEach(p -> reader.problem(
                            mapping.getStartMark(),
                            null,
                            "params." + p.name(),
                            "a scheduled DAG's runs take their parameters' defaults; '" + p.name()
                                    + "' is required and has none"));
        }
        if (!problems.isEmpty()) {
            throw new DagValidationException(problems);
        }
        if (queue[0] != null) {
            drafts.stream().filter(d -> d.queue == null).forEach(d -> d.queue = queue[0]);
        }
        List<TaskSpec> tasks = drafts.stream().map(TaskDraft::toSpec).toList();
        DagSpec dag = new DagSpec(name[0], tasks, params, schedule[0], maxActiveTasks[0], maxActiveRuns[0]);
        new SizeCheck(reader).check(drafts, tasks, dag);
        if (!problems.isEmpty()) {
            throw new DagValidationException(problems);
        }
        return dag;
    }

    private void readTasks(Node value, NodeReader reader, List<TaskDraft> drafts, CommandFiles commandFiles) {
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
        TaskReader taskReader = new TaskReader(reader, commandFiles);
        List<Node> items = sequence.getValue();
        for (int i = 0; i < items.size(); i++) {
            drafts.add(taskReader.read(items.get(i), i));
        }
    }

    /**
     * What the DAG becomes must fit the records that carry it: each task's spec as JSON (escaping can make it larger
     * than its text), and the whole DAG as JSON. Only what could be too large is written out to measure it.
     */
    private static final class SizeCheck {
        /** JSON escaping makes a character at most six: below this, a spec cannot be too large. */
        private static final int SAFE_TASK_BYTES = RecordLimits.MAX_TASK_SPEC_JSON_BYTES / 6;

        private final NodeReader reader;

        SizeCheck(NodeReader reader) {
            this.reader = reader;
        }

        /** What the DAG can be at most as JSON: every character escaped, every default spelled out. */
        private static long upperBound(List<TaskSpec> tasks) {
            long bytes = 1024;
            for (TaskSpec spec : tasks) {
                long text = spec.name().length()
                        + (spec.command() == null ? 0 : spec.command().length());
                text += spec.dependencies().stream()
                        .mapToInt(d -> d.length() + 3)
                        .sum();
                text += spec.env().entrySet().stream()
                        .mapToInt(e -> e.getKey().length() + e.getValue().length() + 6)
                        .sum();
                bytes += 6 * text + 256;
            }
            return bytes;
        }

        void check(List<TaskDraft> drafts, List<TaskSpec> tasks, DagSpec dag) {
            for (int i = 0; i < tasks.size(); i++) {
                TaskSpec spec = tasks.get(i);
                int raw = spec.command() == null ? 0 : spec.command().length();
                raw += spec.env().entrySet().stream()
                        .mapToInt(e -> e.getKey().length() + e.getValue().length())
                        .sum();
                if (raw > SAFE_TASK_BYTES) {
                    int json = Events.toJson(spec).length;
                    if (json > RecordLimits.MAX_TASK_SPEC_JSON_BYTES) {
                        reader.problem(
                                drafts.get(i).mark,
                                spec.name(),
                                null,
                                "the task is " + json + " bytes as JSON (its command and env, escaped); the limit is "
                                        + RecordLimits.describe(RecordLimits.MAX_TASK_SPEC_JSON_BYTES));
                    }
                }
            }
            if (upperBound(tasks) > RecordLimits.MAX_DAG_JSON_BYTES) {
                int json = Events.toJson(dag).length;
                if (json > RecordLimits.MAX_DAG_JSON_BYTES) {
                    reader.problem(
                            drafts.get(0).mark,
                            null,
                            null,
                            "the DAG is " + json + " bytes as JSON; the limit is "
                                    + RecordLimits.describe(RecordLimits.MAX_DAG_JSON_BYTES)
                                    + " (split it, or keep long scripts on the workers)");
                }
            }
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
