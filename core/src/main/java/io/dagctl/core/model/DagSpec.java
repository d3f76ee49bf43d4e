package io.dagctl.core.model;

import java.util.List;
import java.util.Optional;

/** A validated DAG: a name and its tasks in declaration order. */
public record DagSpec(String name, List<TaskSpec> tasks) {

    public DagSpec {
        tasks = List.copyOf(tasks);
    }

    public Optional<TaskSpec> task(String taskName) {
        return tasks.stream().filter(t -> t.name().equals(taskName)).findFirst();
    }
}
