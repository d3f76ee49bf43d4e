package io.dagctl.coordinator.engine;

import io.dagctl.core.model.RunStatus;
import java.time.Instant;
import java.util.Map;

/**
 * The run-level state: small and fixed-size whatever the DAG's size.
 *
 * @param unfinishedTasks tasks not yet in a terminal state; the run ends when it reaches 0
 * @param failedTasks tasks that ended FAILED, TIMED_OUT or UPSTREAM_FAILED
 */
public record RunEntry(String runId, String dag, RunStatus status, Instant submittedAt, Instant startedAt,
        Instant endedAt, int taskCount, int unfinishedTasks, int failedTasks, Map<String, String> params) {

    /** Run parameters reach every task as environment variables with this prefix. */
    public static final String PARAM_ENV_PREFIX = "DAGCTL_PARAM_";

    public RunEntry {
        params = params == null ? Map.of() : Map.copyOf(params);
    }

    RunEntry taskEnded(boolean failed, Instant at) {
        int unfinished = unfinishedTasks - 1;
        int failures = failedTasks + (failed ? 1 : 0);
        if (unfinished > 0) {
            return new RunEntry(runId, dag, status, submittedAt, startedAt, endedAt, taskCount, unfinished, failures, params);
        }
        RunStatus end = status == RunStatus.CANCELLED ? RunStatus.CANCELLED
                : failures > 0 ? RunStatus.FAILED : RunStatus.SUCCESS;
        return new RunEntry(runId, dag, end, submittedAt, startedAt, at, taskCount, 0, failures, params);
    }

    /** The environment a task of this run gets from the run's parameters. */
    Map<String, String> paramEnv() {
        Map<String, String> env = new java.util.HashMap<>();
        params.forEach((k, v) -> env.put(PARAM_ENV_PREFIX + k.toUpperCase(java.util.Locale.ROOT), v));
        return env;
    }

    /** The run was cancelled: {@code tasks} unfinished tasks ended CANCELLED just now. */
    RunEntry cancelled(int tasks, Instant at) {
        int unfinished = unfinishedTasks - tasks;
        return new RunEntry(runId, dag, RunStatus.CANCELLED, submittedAt, startedAt, unfinished == 0 ? at : endedAt,
                taskCount, unfinished, failedTasks, params);
    }

    /** A finished run whose {@code tasks} unfinished tasks (of which {@code failures} had failed) run again. */
    RunEntry reopened(int tasks, int failures) {
        return new RunEntry(runId, dag, RunStatus.RUNNING, submittedAt, startedAt, null, taskCount, unfinishedTasks + tasks,
                failedTasks - failures, params);
    }
}
