package io.dagctl.coordinator.engine;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.parse.RunParams;
import io.dagctl.core.template.ExpressionException;
import io.dagctl.core.template.Expressions;
import io.dagctl.core.template.References;
import io.dagctl.core.template.Template;
import io.dagctl.core.template.TemplateException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a task's templates and condition read, from the run's state: the entries of the upstream tasks they name
 * (loaded by name, only those), the run's typed parameters, the run and the task themselves. Renders a task's command
 * and environment for an attempt, and evaluates its condition. A missing output is an error that names it.
 */
final class TaskVariables {

    /** A command and environment with their templates rendered. */
    record Rendered(String command, Map<String, String> env) {}

    /** Instances read per page when a mapped task's outputs are gathered. */
    private static final int OUTPUT_PAGE = 500;
    /**
     * The environment a task gets from the run: its parameters ({@code DAGCTL_PARAM_<NAME>}), what started
     * it ({@code DAGCTL_TRIGGER}), the moment it stands for ({@code DAGCTL_LOGICAL_DATE}, ISO-8601 UTC) and, for a
     * stored DAG, the version it runs ({@code DAGCTL_DAG_VERSION}).
     */
    static Map<String, String> runEnv(RunEntry run) {
        Map<String, String> env = new HashMap<>();
        run.params().forEach((k, v) -> env.put(RunParams.envName(k), v));
        env.put("DAGCTL_TRIGGER", run.trigger());
        env.put("DAGCTL_LOGICAL_DATE", run.logicalDate().toString());
        if (run.dagVersion() != null) {
            env.put("DAGCTL_DAG_VERSION", run.dagVersion().toString());
        }
        return env;
    }

    /** The most a mapped task's instances' outputs may hold together when a template reads them. */
    static final int MAX_MAPPED_OUTPUTS_BYTES = 16 * 1024 * 1024;

    private final RunStateStore store;

    TaskVariables(RunStateStore store) {
        this.store = store;
    }

    static boolean hasTemplates(TaskEntry task) {
        if (Template.mayHold(task.spec().command())) {
            return true;
        }
        for (String value : task.spec().env().values()) {
            if (Template.mayHold(value)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the task's {@code when:} holds. */
    boolean condition(TaskEntry task, RunEntry run) throws ExpressionException {
        Expressions.Compiled compiled = Expressions.shared()
                .compile(Expressions.conditionExpression(task.spec().when()));
        Map<String, Object> vars = variables(task, run, compiled.references(), task.attempt() + 1);
        Object value = evaluate(compiled, vars);
        if (!(value instanceof Boolean holds)) {
            throw new ExpressionException("the condition is " + value + ", not true or false");
        }
        return holds;
    }

    /** The list a mapped task maps over: its literal list, or what its template gives (a list, or JSON text of one). */
    @SuppressWarnings("unchecked")
    List<Object> items(TaskEntry task, RunEntry run) throws ExpressionException {
        Object forEach = task.spec().forEach();
        if (forEach instanceof List<?> list) {
            return (List<Object>) list;
        }
        if (!(forEach instanceof String text)) {
            throw new ExpressionException("for_each is neither a list nor a template");
        }
        Template template;
        try {
            template = Template.parse(text);
        } catch (TemplateException e) {
            throw new ExpressionException(e.getMessage());
        }
        Map<String, Object> vars = variables(task, run, template.references(), 0);
        Object value;
        try {
            var single = template.singleExpression();
            value = single.isPresent() ? Expressions.shared().evaluate(single.get(), vars) : template.render(vars);
        } catch (ExpressionException e) {
            throw new ExpressionException(explain(e, template.references(), vars));
        }
        if (value instanceof String json) {
            try {
                value = Events.mapper().readValue(json, List.class);
            } catch (Exception e) {
                throw new ExpressionException(
                        "it gave the text '" + RecordLimits.keepStart(json, 80) + "', which is not a JSON list");
            }
        }
        if (!(value instanceof List<?> list)) {
            throw new ExpressionException(
                    "it gave " + (value == null ? "null" : Template.asText(value)) + ", not a list");
        }
        return (List<Object>) list;
    }

    /** The command and environment of the task's next attempt, rendered. */
    Rendered render(TaskEntry task, RunEntry run) throws ExpressionException {
        String command = task.spec().command();
        Map<String, Template> templates = new LinkedHashMap<>();
        try {
            if (Template.mayHold(command)) {
                templates.put("command", Template.parse(command));
            }
            for (var e : new TreeMap<>(task.spec().env()).entrySet()) {
                if (Template.mayHold(e.getValue())) {
                    templates.put("env." + e.getKey(), Template.parse(e.getValue()));
                }
            }
        } catch (TemplateException e) {
            throw new ExpressionException(e.getMessage()); // a DAG written straight to Kafka, past the checks
        }
        Map<String, Object> vars = null;
        Map<String, String> env = new HashMap<>(task.spec().env());
        for (var entry : templates.entrySet()) {
            Template template = entry.getValue();
            if (vars == null) {
                vars = variables(
                        task,
                        run,
                        References.merge(templates.values().stream()
                                .map(Template::references)
                                .toList()),
                        task.attempt() + 1);
            }
            String text;
            try {
                text = template.render(vars);
            } catch (ExpressionException e) {
                throw new ExpressionException(entry.getKey() + ": " + explain(e, template.references(), vars));
            }
            if (entry.getKey().equals("command")) {
                command = text;
            } else {
                env.put(entry.getKey().substring("env.".length()), text);
            }
        }
        checkSizes(command, env);
        return new Rendered(command, env);
    }

    private static void checkSizes(String command, Map<String, String> env) throws ExpressionException {
        int commandBytes = command == null ? 0 : command.getBytes(StandardCharsets.UTF_8).length;
        if (commandBytes > RecordLimits.MAX_TASK_COMMAND_BYTES) {
            throw new ExpressionException("the rendered command has " + commandBytes + " bytes; the limit is "
                    + RecordLimits.describe(RecordLimits.MAX_TASK_COMMAND_BYTES));
        }
        int envBytes = env.entrySet().stream()
                .mapToInt(e -> e.getKey().getBytes(StandardCharsets.UTF_8).length
                        + e.getValue().getBytes(StandardCharsets.UTF_8).length)
                .sum();
        if (envBytes > RecordLimits.MAX_ENV_BYTES) {
            throw new ExpressionException("the rendered environment has " + envBytes + " bytes; the limit is "
                    + RecordLimits.describe(RecordLimits.MAX_ENV_BYTES));
        }
    }

    private Object evaluate(Expressions.Compiled compiled, Map<String, Object> vars) throws ExpressionException {
        try {
            return Expressions.shared().evaluate(compiled, vars);
        } catch (ExpressionException e) {
            throw new ExpressionException(explain(e, compiled.references(), vars));
        }
    }

    /** An evaluation error, named better when it is an output that the task it reads did not write. */
    @SuppressWarnings("unchecked")
    private static String explain(ExpressionException e, References refs, Map<String, Object> vars) {
        Map<String, Object> tasks = (Map<String, Object>) vars.getOrDefault("tasks", Map.of());
        for (var entry : tasks.entrySet()) {
            Object status = ((Map<String, Object>) entry.getValue()).get("status");
            if (status instanceof String name && !TaskStatus.valueOf(name).isTerminal()) {
                return "task '" + entry.getKey() + "' has not ended (" + name + "): this task's trigger rule let it"
                        + " start before all its upstream tasks ended; " + e.getMessage();
            }
        }
        for (var entry : refs.outputKeys().entrySet()) {
            Map<String, Object> task = (Map<String, Object>) tasks.get(entry.getKey());
            Map<String, Object> outputs = task == null ? Map.of() : (Map<String, Object>) task.get("outputs");
            for (String key : entry.getValue()) {
                if (!outputs.containsKey(key)) {
                    return "tasks." + entry.getKey() + ".outputs." + key + ": task '" + entry.getKey()
                            + "' wrote no output '" + key + "' ("
                            + (outputs.isEmpty() ? "it wrote none" : "it wrote " + String.join(", ", outputs.keySet()))
                            + ")";
                }
            }
        }
        Map<String, Object> params = (Map<String, Object>) vars.getOrDefault("params", Map.of());
        for (String param : refs.params()) {
            if (!params.containsKey(param)) {
                return "params." + param + ": the run has no parameter '" + param + "'";
            }
        }
        return e.getMessage();
    }

    private Map<String, Object> variables(TaskEntry task, RunEntry run, References refs, int attempt)
            throws ExpressionException {
        Map<String, Object> tasks = new HashMap<>();
        for (String name : refs.tasks().keySet()) {
            TaskEntry upstream = store.task(task.runId(), name);
            if (upstream == null) {
                throw new ExpressionException("task '" + name + "' is not in this run");
            }
            Map<String, Object> view = new HashMap<>();
            boolean readsOutputs = refs.tasks().get(name).contains("outputs");
            view.put(
                    "outputs",
                    upstream.mapping().instances() == null
                            ? upstream.current().outputs()
                            : readsOutputs ? instanceOutputs(upstream) : Map.of());
            view.put("status", upstream.status().name());
            view.put("exit_code", upstream.current().exitCode());
            tasks.put(name, view);
        }
        Map<String, Object> params;
        try {
            params = run.typedParams();
        } catch (IllegalArgumentException e) {
            throw new ExpressionException("a parameter does not match its type: " + e.getMessage());
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put("tasks", tasks);
        vars.put("params", params);
        vars.put(
                "run",
                Map.of(
                        "id", run.runId(),
                        "logical_date", run.logicalDate().toString(),
                        "dag", run.dag(),
                        "trigger", run.trigger()));
        InstanceOf instanceOf = task.mapping().instanceOf();
        long index = instanceOf == null ? 0 : instanceOf.position();
        vars.put("task", Map.of("name", task.name(), "attempt", (long) attempt, "index", index));
        if (instanceOf != null) {
            vars.put("item", instanceOf.item());
        }
        return vars;
    }

    /**
     * A mapped task's outputs as its dependents read them: each key a list of its instances' values in list order, null
     * for an instance that did not succeed. A key is there when every instance that succeeded wrote it. Read a page of
     * instances at a time, keeping only their outputs, and refused past {@link #MAX_MAPPED_OUTPUTS_BYTES} together.
     */
    private Map<String, Object> instanceOutputs(TaskEntry mapped) throws ExpressionException {
        String prefix = InstanceOf.prefix(mapped.name());
        Map<Integer, Map<String, Object>> byPosition = new TreeMap<>();
        long bytes = 0;
        String after = prefix;
        while (true) {
            List<TaskEntry> page = store.tasksAfter(mapped.runId(), after, OUTPUT_PAGE);
            for (TaskEntry instance : page) {
                if (!instance.name().startsWith(prefix)) {
                    return lists(byPosition);
                }
                after = instance.name();
                InstanceOf position = instance.mapping().instanceOf();
                if (position == null) {
                    continue;
                }
                if (instance.status() == TaskStatus.SUCCESS) {
                    Map<String, Object> outputs = instance.current().outputs();
                    bytes += outputs.isEmpty() ? 0 : Events.toJson(outputs).length;
                    if (bytes > MAX_MAPPED_OUTPUTS_BYTES) {
                        throw new ExpressionException("the outputs of the instances of '" + mapped.name()
                                + "' are more than " + RecordLimits.describe(MAX_MAPPED_OUTPUTS_BYTES)
                                + " together; read fewer of them, or have a task gather them");
                    }
                    byPosition.put(position.position(), outputs);
                } else {
                    byPosition.put(position.position(), null);
                }
            }
            if (page.size() < OUTPUT_PAGE) {
                return lists(byPosition);
            }
        }
    }

    private static Map<String, Object> lists(Map<Integer, Map<String, Object>> byPosition) {
        Set<String> keys = new LinkedHashSet<>();
        byPosition.values().forEach(outputs -> {
            if (outputs != null) {
                keys.addAll(outputs.keySet());
            }
        });
        Map<String, Object> lists = new LinkedHashMap<>();
        for (String key : keys) {
            List<Object> values = new ArrayList<>(byPosition.size());
            boolean everySuccessWroteIt = true;
            for (Map<String, Object> outputs : byPosition.values()) {
                Object value = outputs == null ? null : outputs.get(key);
                everySuccessWroteIt &= outputs == null || value != null;
                values.add(value);
            }
            if (everySuccessWroteIt) {
                lists.put(key, values);
            }
        }
        return lists;
    }
}
