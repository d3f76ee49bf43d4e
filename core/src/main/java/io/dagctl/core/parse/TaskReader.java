package io.dagctl.core.parse;

import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.graph.DagChecks;
import io.dagctl.core.model.Pools;
import io.dagctl.core.model.Queues;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.model.TaskType;
import io.dagctl.core.model.TriggerRule;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/** Reads one entry of {@code tasks:} into a {@link TaskDraft}, reporting every field that is wrong. */
final class TaskReader {

    static final List<String> FIELDS = List.of(
            "name",
            "type",
            "command",
            "command_file",
            "dependencies",
            "max_retries",
            "timeout",
            "retry_delay",
            "max_retry_delay",
            "env",
            "trigger_rule",
            "when",
            "for_each",
            "max_instances",
            "queue",
            "pool",
            "pool_slots");
    static final Pattern TASK_NAME = DagChecks.TASK_NAME;
    static final int MAX_RETRIES_LIMIT = 100;

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final String RESERVED_ENV_PREFIX = "DAGCTL_";

    private final NodeReader reader;
    /** Null where no file can be read (the API): {@code command_file} is then refused. */
    private final CommandFiles commandFiles;

    TaskReader(NodeReader reader, CommandFiles commandFiles) {
        this.reader = reader;
        this.commandFiles = commandFiles;
    }

    TaskDraft read(Node node, int index) {
        TaskDraft draft = new TaskDraft();
        draft.mark = node.getStartMark();
        if (!(node instanceof MappingNode mapping)) {
            reader.problem(
                    node.getStartMark(),
                    null,
                    null,
                    "task #" + (index + 1) + " must be a mapping with name, command, ..., found "
                            + NodeReader.describe(node));
            return draft;
        }
        draft.name = findName(mapping, index);
        String label = draft.name != null ? draft.name : "#" + (index + 1);
        reader.fields(mapping, label, FIELDS, (field, value) -> readField(draft, label, field, value));
        boolean hasCommand = mapping.getValue().stream().anyMatch(t -> keyIs(t, "command") || keyIs(t, "command_file"));
        if (mapping.getValue().stream().anyMatch(t -> keyIs(t, "command"))
                && mapping.getValue().stream().anyMatch(t -> keyIs(t, "command_file"))) {
            reader.problem(
                    draft.commandMark != null ? draft.commandMark : mapping.getStartMark(),
                    label,
                    "command_file",
                    "give either 'command' or 'command_file', not both");
        }
        if (draft.type.runsCommand() && draft.command == null && !hasCommand) {
            reader.problem(mapping.getStartMark(), label, "command", "missing required field 'command'");
        } else if (!draft.type.runsCommand() && hasCommand) {
            reader.problem(
                    draft.commandMark != null ? draft.commandMark : mapping.getStartMark(),
                    label,
                    "command",
                    "a " + draft.type.yamlName()
                            + " task runs no command; remove 'command' or choose type bash or python");
        }
        if (draft.maxRetryDelay.compareTo(draft.retryDelay) < 0) {
            reader.problem(
                    mapping.getStartMark(),
                    label,
                    "max_retry_delay",
                    "max_retry_delay ("
                            + DurationText.format(draft.maxRetryDelay) + ") is shorter than retry_delay ("
                            + DurationText.format(draft.retryDelay) + ")");
        }
        return draft;
    }

    private String findName(MappingNode mapping, int index) {
        for (NodeTuple tuple : mapping.getValue()) {
            if (keyIs(tuple, "name")) {
                Node value = tuple.getValueNode();
                Optional<String> name = reader.text(value, "#" + (index + 1), "name");
                if (name.isPresent() && !TASK_NAME.matcher(name.get()).matches()) {
                    reader.problem(
                            value.getStartMark(),
                            "#" + (index + 1),
                            "name",
                            "task name '" + name.get() + "' may contain only letters, digits, '_', '.' and '-'"
                                    + " (at most 128, starting with a letter or digit)");
                    return null;
                }
                return name.orElse(null);
            }
        }
        reader.problem(mapping.getStartMark(), "#" + (index + 1), "name", "missing required field 'name'");
        return null;
    }

    private static boolean keyIs(NodeTuple tuple, String key) {
        return tuple.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key);
    }

    private void readField(TaskDraft draft, String task, String field, Node value) {
        switch (field) {
            case "name" -> draft.nameMark = value.getStartMark();
            case "type" ->
                reader.text(value, task, field)
                        .ifPresent(text -> TaskType.fromYamlName(text)
                                .ifPresentOrElse(
                                        type -> draft.type = type,
                                        () -> reader.problem(
                                                value.getStartMark(),
                                                task,
                                                field,
                                                "unknown task type '" + text + "'"
                                                        + Suggestions.hint(text, TaskType.yamlNames())
                                                        + "; known types: "
                                                        + String.join(", ", TaskType.yamlNames()))));
            case "command" ->
                reader.text(value, task, field).ifPresent(text -> {
                    draft.commandMark = value.getStartMark();
                    if (text.isBlank()) {
                        reader.problem(value.getStartMark(), task, field, "the command is empty");
                    }
                    checkCommandSize(text, value, task, field);
                    draft.command = text;
                    draft.commandNode = value instanceof ScalarNode scalar ? scalar : null;
                });
            case "command_file" ->
                reader.text(value, task, field).ifPresent(name -> readCommandFile(draft, task, value, name));
            case "dependencies" -> readDependencies(draft, task, value);
            case "max_retries" ->
                reader.integer(value, task, field, 0, MAX_RETRIES_LIMIT).ifPresent(n -> draft.maxRetries = n);
            case "timeout" -> duration(value, task, field, false, d -> draft.timeout = d);
            case "retry_delay" -> duration(value, task, field, true, d -> draft.retryDelay = d);
            case "max_retry_delay" -> duration(value, task, field, true, d -> draft.maxRetryDelay = d);
            case "env" -> readEnv(draft, task, value);
            case "trigger_rule" ->
                reader.text(value, task, field)
                        .ifPresent(text -> TriggerRule.fromYamlName(text)
                                .ifPresentOrElse(
                                        rule -> {
                                            draft.triggerRule = rule;
                                            draft.triggerRuleMark = value.getStartMark();
                                        },
                                        () -> reader.problem(
                                                value.getStartMark(),
                                                task,
                                                field,
                                                "unknown trigger rule '" + text + "'"
                                                        + Suggestions.hint(text, TriggerRule.yamlNames())
                                                        + "; the rules are "
                                                        + String.join(", ", TriggerRule.yamlNames()))));
            case "for_each" -> readForEach(draft, task, value);
            case "max_instances" ->
                reader.integer(value, task, field, 1, TaskSpec.MAX_INSTANCES_LIMIT)
                        .ifPresent(n -> {
                            draft.maxInstances = n;
                            draft.maxInstancesMark = value.getStartMark();
                        });
            case "queue" -> readQueue(reader, value, task).ifPresent(q -> draft.queue = q);
            case "pool" ->
                reader.text(value, task, field)
                        .filter(name -> {
                            if (Pools.isValid(name)) {
                                return true;
                            }
                            reader.problem(
                                    value.getStartMark(),
                                    task,
                                    field,
                                    "invalid pool name '" + name + "': " + Pools.NAME_RULE + " characters");
                            return false;
                        })
                        .ifPresent(p -> draft.pool = p);
            case "pool_slots" ->
                reader.integer(value, task, field, 1, Pools.MAX_SLOTS).ifPresent(n -> {
                    draft.poolSlots = n;
                    draft.poolSlotsMark = value.getStartMark();
                });
            case "when" ->
                reader.text(value, task, field).ifPresent(text -> {
                    if (text.isBlank()) {
                        reader.problem(value.getStartMark(), task, field, "the condition is empty");
                        return;
                    }
                    draft.when = text;
                    draft.whenNode = value instanceof ScalarNode scalar ? scalar : null;
                });
            default -> throw new IllegalStateException("field without a reader: " + field);
        }
    }

    /** A queue's name, for a task or (task null) a DAG. */
    static Optional<String> readQueue(NodeReader reader, Node value, String task) {
        return reader.text(value, task, "queue").filter(name -> {
            if (Queues.isValid(name)) {
                return true;
            }
            reader.problem(
                    value.getStartMark(),
                    task,
                    "queue",
                    "invalid queue name '" + name + "': " + Queues.NAME_RULE + " characters");
            return false;
        });
    }

    /** A literal list (each item becomes an instance), or a template text that gives a list when the task starts. */
    private void readForEach(TaskDraft draft, String task, Node value) {
        draft.forEachNode = value;
        if (value instanceof SequenceNode) {
            Object list = YamlValues.value(value, reader, task, "for_each");
            if (list != null) {
                draft.forEach = list;
            }
        } else if (value instanceof ScalarNode scalar && !reader.isNull(value)) {
            if (scalar.getValue().isBlank()) {
                reader.problem(value.getStartMark(), task, "for_each", "for_each is empty");
            } else {
                draft.forEach = scalar.getValue();
            }
        } else {
            reader.problem(
                    value.getStartMark(),
                    task,
                    "for_each",
                    "expected a list, or a template that gives one such as \"{{ tasks.list.outputs.files }}\", found "
                            + NodeReader.describe(value));
        }
    }

    private void readCommandFile(TaskDraft draft, String task, Node value, String name) {
        draft.commandMark = value.getStartMark();
        if (commandFiles == null) {
            reader.problem(
                    value.getStartMark(),
                    task,
                    "command_file",
                    "command_file is read by the dagctl CLI from next to the DAG file; a DAG sent to the API holds"
                            + " the command itself");
            return;
        }
        CommandFiles.Result file = commandFiles.read(name);
        if (file.problem() != null) {
            reader.problem(value.getStartMark(), task, "command_file", file.problem());
        } else {
            draft.command = file.text();
        }
    }

    private void checkCommandSize(String text, Node value, String task, String field) {
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > RecordLimits.MAX_TASK_COMMAND_BYTES) {
            reader.problem(
                    value.getStartMark(),
                    task,
                    field,
                    "the command has " + bytes + " bytes; the limit is "
                            + RecordLimits.describe(RecordLimits.MAX_TASK_COMMAND_BYTES)
                            + " (put a long script in a file and name it with command_file)");
        }
    }

    private void readDependencies(TaskDraft draft, String task, Node value) {
        draft.dependenciesMark = value.getStartMark();
        if (reader.isNull(value)) {
            return;
        }
        if (!(value instanceof SequenceNode sequence)) {
            reader.problem(
                    value.getStartMark(),
                    task,
                    "dependencies",
                    "expected a list of task names, found " + NodeReader.describe(value));
            return;
        }
        for (Node item : sequence.getValue()) {
            reader.text(item, task, "dependencies")
                    .ifPresent(name -> draft.dependencies.add(new TaskDraft.Dependency(name, item.getStartMark())));
        }
    }

    private void duration(Node value, String task, String field, boolean zeroAllowed, Consumer<Duration> onValue) {
        reader.text(value, task, field).ifPresent(text -> {
            Optional<Duration> parsed = DurationText.parse(text);
            if (parsed.isEmpty()) {
                reader.problem(
                        value.getStartMark(),
                        task,
                        field,
                        "'" + text + "' is not a duration; write e.g. 30s, 5m, 1h, 250ms or a number of seconds");
            } else if (!zeroAllowed && parsed.get().isZero()) {
                reader.problem(value.getStartMark(), task, field, "must be longer than zero");
            } else {
                onValue.accept(parsed.get());
            }
        });
    }

    private void readEnv(TaskDraft draft, String task, Node value) {
        if (reader.isNull(value)) {
            return;
        }
        if (!(value instanceof MappingNode mapping)) {
            reader.problem(
                    value.getStartMark(),
                    task,
                    "env",
                    "expected a mapping of NAME: value, found " + NodeReader.describe(value));
            return;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            Optional<String> name = reader.text(keyNode, task, "env");
            if (name.isEmpty()) {
                continue;
            }
            if (!ENV_NAME.matcher(name.get()).matches()) {
                reader.problem(
                        keyNode.getStartMark(),
                        task,
                        "env",
                        "'" + name.get() + "' is not a valid environment variable name");
            } else if (name.get().startsWith(RESERVED_ENV_PREFIX)) {
                reader.problem(
                        keyNode.getStartMark(),
                        task,
                        "env",
                        "'" + name.get() + "' uses the prefix " + RESERVED_ENV_PREFIX + ", which dagctl sets itself");
            } else if (draft.env.containsKey(name.get())) {
                reader.problem(keyNode.getStartMark(), task, "env", "'" + name.get() + "' is given more than once");
            } else {
                Node valueNode = tuple.getValueNode();
                String text = reader.isNull(valueNode)
                        ? ""
                        : reader.text(valueNode, task, "env." + name.get()).orElse(null);
                if (text != null) {
                    draft.env.put(name.get(), text);
                    if (valueNode instanceof ScalarNode scalar) {
                        draft.envNodes.put(name.get(), scalar);
                    }
                }
            }
        }
        int bytes = draft.env.entrySet().stream()
                .mapToInt(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length
                        + e.getValue().getBytes(StandardCharsets.UTF_8).length)
                .sum();
        if (bytes > RecordLimits.MAX_ENV_BYTES) {
            reader.problem(
                    value.getStartMark(),
                    task,
                    "env",
                    "the environment has " + bytes + " bytes of names and values; the limit is "
                            + RecordLimits.describe(RecordLimits.MAX_ENV_BYTES));
        }
    }
}
