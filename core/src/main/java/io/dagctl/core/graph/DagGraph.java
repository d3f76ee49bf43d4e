package io.dagctl.core.graph;

import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.TaskSpec;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The dependency graph of a valid (acyclic) DAG: who depends on whom, and a topological order. */
public final class DagGraph {

    private final Map<String, List<String>> dependencies = new LinkedHashMap<>();
    private final Map<String, List<String>> dependents = new LinkedHashMap<>();

    public DagGraph(DagSpec dag) {
        for (TaskSpec task : dag.tasks()) {
            dependencies.put(task.name(), task.dependencies());
            dependents.put(task.name(), new ArrayList<>());
        }
        for (TaskSpec task : dag.tasks()) {
            for (String dep : task.dependencies()) {
                List<String> of = dependents.get(dep);
                if (of == null) {
                    throw new IllegalArgumentException(
                            "task '" + task.name() + "' depends on unknown task '" + dep + "'");
                }
                of.add(task.name());
            }
        }
    }

    public List<String> dependenciesOf(String task) {
        return Collections.unmodifiableList(dependencies.get(task));
    }

    public List<String> dependentsOf(String task) {
        return Collections.unmodifiableList(dependents.get(task));
    }

    /** Tasks that can start at once: those with no dependencies, in declaration order. */
    public List<String> roots() {
        return dependencies.entrySet().stream()
                .filter(e -> e.getValue().isEmpty())
                .map(Map.Entry::getKey)
                .toList();
    }

    /**
     * Kahn's algorithm; ties keep declaration order.
     *
     * @throws IllegalStateException when the graph has a cycle
     */
    public List<String> topologicalOrder() {
        Map<String, Integer> remaining = new HashMap<>();
        dependencies.forEach((task, deps) -> remaining.put(task, deps.size()));
        Deque<String> ready = new ArrayDeque<>(roots());
        List<String> order = new ArrayList<>(dependencies.size());
        while (!ready.isEmpty()) {
            String task = ready.poll();
            order.add(task);
            for (String dependent : dependents.get(task)) {
                if (remaining.merge(dependent, -1, Integer::sum) == 0) {
                    ready.add(dependent);
                }
            }
        }
        if (order.size() != dependencies.size()) {
            throw new IllegalStateException("the graph has a cycle: " + CycleFinder.find(dependencies));
        }
        return order;
    }

    public ReadinessTracker readiness() {
        return new ReadinessTracker(this);
    }

    public int size() {
        return dependencies.size();
    }
}
