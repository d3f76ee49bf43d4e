package io.dagctl.core.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated DAG: a name, its tasks in declaration order, and the parameters its runs take (in declaration order;
 * empty when it declares none, and then a run may give any parameter, as text).
 */
public record DagSpec(String name, List<TaskSpec> tasks, Map<String, ParamSpec> params) {

    public DagSpec {
        tasks = List.copyOf(tasks);
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public DagSpec(String name, List<TaskSpec> tasks) {
        this(name, tasks, Map.of());
    }

    public Optional<TaskSpec> task(String taskName) {
        return tasks.stream().filter(t -> t.name().equals(taskName)).findFirst();
    }
}
