package io.dagctl.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated DAG: a name, its tasks in declaration order, the parameters its runs take (in declaration order; empty
 * when it declares none, and then a run may give any parameter, as text), and when it runs by itself once stored
 * (null: only when triggered).
 */
public record DagSpec(
        String name,
        List<TaskSpec> tasks,
        // left out when empty: a DAG without them is written (and digested) as before they existed
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, ParamSpec> params,
        @JsonInclude(JsonInclude.Include.NON_NULL) ScheduleSpec schedule) {

    public DagSpec {
        tasks = List.copyOf(tasks);
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public DagSpec(String name, List<TaskSpec> tasks) {
        this(name, tasks, Map.of(), null);
    }

    public DagSpec(String name, List<TaskSpec> tasks, Map<String, ParamSpec> params) {
        this(name, tasks, params, null);
    }

    public Optional<TaskSpec> task(String taskName) {
        return tasks.stream().filter(t -> t.name().equals(taskName)).findFirst();
    }
}
