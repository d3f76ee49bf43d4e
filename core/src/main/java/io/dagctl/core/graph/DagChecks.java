package io.dagctl.core.graph;

import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.Pools;
import io.dagctl.core.model.Queues;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.template.ExpressionException;
import io.dagctl.core.template.Expressions;
import io.dagctl.core.template.Template;
import io.dagctl.core.template.TemplateException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The structure a run needs from its DAG, checked again where a submission is applied: the parser checked it for
 * every DAG that came through the API or the CLI, but a command written straight to Kafka came through neither.
 */
public final class DagChecks {

    /** A task name: it becomes part of store keys, attempt ids and file names. */
    public static final Pattern TASK_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private DagChecks() {}

    /** A template or condition that does not compile (the names it reads are checked by the parser only). */
    private static Optional<String> templateProblem(TaskSpec task) {
        try {
            if (Template.mayHold(task.command())) {
                Template.parse(task.command());
            }
            for (String value : task.env().values()) {
                if (Template.mayHold(value)) {
                    Template.parse(value);
                }
            }
            if (task.when() != null) {
                Expressions.shared().compile(Expressions.conditionExpression(task.when()));
            }
            if (task.forEach() instanceof String text) {
                Template.parse(text);
            } else if (task.forEach() != null && !(task.forEach() instanceof List<?>)) {
                return Optional.of("task '" + task.name() + "': for_each is neither a list nor a template");
            }
            return Optional.empty();
        } catch (TemplateException | ExpressionException e) {
            return Optional.of("task '" + task.name() + "': " + e.getMessage());
        }
    }

    /** What is wrong with the DAG's structure (at most a few items); empty when nothing is. */
    public static List<String> structuralProblems(DagSpec dag) {
        List<String> problems = new ArrayList<>();
        if (dag.tasks().isEmpty()) {
            problems.add("the DAG has no tasks");
            return problems;
        }
        Set<String> names = new HashSet<>();
        Map<String, List<String>> edges = new LinkedHashMap<>();
        for (TaskSpec task : dag.tasks()) {
            if (task.name() == null || !TASK_NAME.matcher(task.name()).matches()) {
                problems.add("task name '" + task.name() + "' is not valid");
            } else if (!names.add(task.name())) {
                problems.add("duplicate task name '" + task.name() + "'");
            }
            if (task.type() == null
                    || task.timeout() == null
                    || task.retryDelay() == null
                    || task.maxRetryDelay() == null) {
                problems.add("task '" + task.name() + "' lacks its type, timeout or retry delays");
            } else if (task.type().runsCommand()
                    && (task.command() == null || task.command().isBlank())) {
                problems.add("task '" + task.name() + "' has no command");
            }
            if (task.queue() != null && !Queues.isValid(task.queue())) {
                problems.add("task '" + task.name() + "' names the invalid queue '" + task.queue() + "'");
            }
            if (task.pool() != null && !Pools.isValid(task.pool())) {
                problems.add("task '" + task.name() + "' names the invalid pool '" + task.pool() + "'");
            }
            if (task.poolSlots() != null && (task.poolSlots() < 1 || task.poolSlots() > Pools.MAX_SLOTS)) {
                problems.add("task '" + task.name() + "' takes " + task.poolSlots() + " pool slots; from 1 to "
                        + Pools.MAX_SLOTS + " may be taken");
            }
            edges.put(task.name(), task.dependencies());
            templateProblem(task).ifPresent(problems::add);
        }
        for (TaskSpec task : dag.tasks()) {
            for (String dependency : task.dependencies()) {
                if (!names.contains(dependency)) {
                    problems.add("task '" + task.name() + "' depends on unknown task '" + dependency + "'");
                }
            }
        }
        if (problems.isEmpty()) {
            CycleFinder.find(edges).stream()
                    .findFirst()
                    .ifPresent(cycle -> problems.add("dependency cycle: " + String.join(" → ", cycle)));
        }
        return problems.size() > 5 ? problems.subList(0, 5) : problems;
    }
}
