package io.dagctl.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A validated DAG: a name, its tasks in declaration order, the parameters its runs take (in declaration order; empty
 * when it declares none, and then a run may give any parameter, as text), when it runs by itself once stored (null:
 * only when triggered), and how many of a run's tasks may have an attempt queued or running at once (null: no limit).
 */
public record DagSpec(
        String name,
        List<TaskSpec> tasks,
        // left out when empty: a DAG without them is written (and digested) as before they existed
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, ParamSpec> params,
        @JsonInclude(JsonInclude.Include.NON_NULL) ScheduleSpec schedule,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxActiveTasks) {

    /** The most {@code max_active_tasks} may be. */
    public static final int MAX_ACTIVE_TASKS_LIMIT = 1_000_000;

    public DagSpec {
        if (maxActiveTasks != null && (maxActiveTasks < 1 || maxActiveTasks > MAX_ACTIVE_TASKS_LIMIT)) {
            throw new IllegalArgumentException(
                    "max_active_tasks must be between 1 and " + MAX_ACTIVE_TASKS_LIMIT + ", got " + maxActiveTasks);
        }
        tasks = List.copyOf(tasks);
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public DagSpec(String name, List<TaskSpec> tasks) {
        this(name, tasks, Map.of(), null, null);
    }

    public DagSpec(String name, List<TaskSpec> tasks, Map<String, ParamSpec> params) {
        this(name, tasks, params, null, null);
    }

    public DagSpec(String name, List<TaskSpec> tasks, Map<String, ParamSpec> params, ScheduleSpec schedule) {
        this(name, tasks, params, schedule, null);
    }

    public Optional<TaskSpec> task(String taskName) {
        return tasks.stream().filter(t -> t.name().equals(taskName)).findFirst();
    }
}
