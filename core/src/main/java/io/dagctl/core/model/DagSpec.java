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
 * only when triggered), how many of a run's tasks may have an attempt queued or running at once (null: no limit),
 * and how many of its runs (triggered or scheduled, once stored) may run at once (null: no limit).
 */
public record DagSpec(
        String name,
        List<TaskSpec> tasks,
        // left out when empty: a DAG without them is written (and digested) as before they existed
        @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, ParamSpec> params,
        @JsonInclude(JsonInclude.Include.NON_NULL) ScheduleSpec schedule,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxActiveTasks,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxActiveRuns) {

    /** The most {@code max_active_tasks} may be. */
    public static final int MAX_ACTIVE_TASKS_LIMIT = 1_000_000;
    /** The most {@code max_active_runs} may be: the DAG's owner keeps its running and waiting runs in one entry. */
    public static final int MAX_ACTIVE_RUNS_LIMIT = 500;

    public DagSpec {
        if (maxActiveTasks != null && (maxActiveTasks < 1 || maxActiveTasks > MAX_ACTIVE_TASKS_LIMIT)) {
            throw new IllegalArgumentException(
                    "max_active_tasks must be between 1 and " + MAX_ACTIVE_TASKS_LIMIT + ", got " + maxActiveTasks);
        }
        if (maxActiveRuns != null && (maxActiveRuns < 1 || maxActiveRuns > MAX_ACTIVE_RUNS_LIMIT)) {
            throw new IllegalArgumentException(
                    "max_active_runs must be between 1 and " + MAX_ACTIVE_RUNS_LIMIT + ", got " + maxActiveRuns);
        }
        tasks = List.copyOf(tasks);
        params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public DagSpec(String name, List<TaskSpec> tasks) {
        this(name, tasks, Map.of(), null, null, null);
    }

    public DagSpec(String name, List<TaskSpec> tasks, Map<String, ParamSpec> params) {
        this(name, tasks, params, null, null, null);
    }

    public DagSpec(String name, List<TaskSpec> tasks, Map<String, ParamSpec> params, ScheduleSpec schedule) {
        this(name, tasks, params, schedule, null, null);
    }

    public Optional<TaskSpec> task(String taskName) {
        return tasks.stream().filter(t -> t.name().equals(taskName)).findFirst();
    }
}
