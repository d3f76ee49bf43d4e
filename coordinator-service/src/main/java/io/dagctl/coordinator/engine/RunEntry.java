package io.dagctl.coordinator.engine;

import io.dagctl.core.model.RunStatus;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The run-level state: small and fixed-size whatever the DAG's size.
 *
 * @param unfinishedTasks tasks not yet in a terminal state; the run ends when it reaches 0
 * @param failedTasks tasks that ended FAILED, TIMED_OUT or UPSTREAM_FAILED
 * @param traceparent W3C context of the run's root span, fixed at submission so that every instance that owns the run
 *     later continues the same trace; null when not traced
 * @param rounds how many times the run was started: 1, plus one for each retry of the finished run
 * @param roundStartedAt when the current round started
 */
public record RunEntry(
        String runId,
        String dag,
        RunStatus status,
        Instant submittedAt,
        Instant startedAt,
        Instant endedAt,
        int taskCount,
        int unfinishedTasks,
        int failedTasks,
        Map<String, String> params,
        String traceparent,
        int rounds,
        Instant roundStartedAt) {

    /** Run parameters reach every task as environment variables with this prefix. */
    public static final String PARAM_ENV_PREFIX = "DAGCTL_PARAM_";

    public RunEntry {
        params = params == null ? Map.of() : Map.copyOf(params);
        rounds = Math.max(rounds, 1);
        roundStartedAt = roundStartedAt == null ? startedAt : roundStartedAt;
    }

    static RunEntry started(
            String runId,
            String dag,
            Instant submittedAt,
            Instant startedAt,
            int taskCount,
            Map<String, String> params,
            String traceparent) {
        return new RunEntry(
                runId,
                dag,
                RunStatus.RUNNING,
                submittedAt,
                startedAt,
                null,
                taskCount,
                taskCount,
                0,
                params,
                traceparent,
                1,
                startedAt);
    }

    RunEntry taskEnded(boolean failed, Instant at) {
        int unfinished = unfinishedTasks - 1;
        int failures = failedTasks + (failed ? 1 : 0);
        if (unfinished > 0) {
            return new RunEntry(
                    runId,
                    dag,
                    status,
                    submittedAt,
                    startedAt,
                    endedAt,
                    taskCount,
                    unfinished,
                    failures,
                    params,
                    traceparent,
                    rounds,
                    roundStartedAt);
        }
        RunStatus end = status == RunStatus.CANCELLED
                ? RunStatus.CANCELLED
                : failures > 0 ? RunStatus.FAILED : RunStatus.SUCCESS;
        return new RunEntry(
                runId,
                dag,
                end,
                submittedAt,
                startedAt,
                at,
                taskCount,
                0,
                failures,
                params,
                traceparent,
                rounds,
                roundStartedAt);
    }

    /** The environment a task of this run gets from the run's parameters. */
    Map<String, String> paramEnv() {
        Map<String, String> env = new HashMap<>();
        params.forEach((k, v) -> env.put(PARAM_ENV_PREFIX + k.toUpperCase(Locale.ROOT), v));
        return env;
    }

    /** The run was cancelled: {@code tasks} unfinished tasks ended CANCELLED just now. */
    RunEntry cancelled(int tasks, Instant at) {
        int unfinished = unfinishedTasks - tasks;
        return new RunEntry(
                runId,
                dag,
                RunStatus.CANCELLED,
                submittedAt,
                startedAt,
                unfinished == 0 ? at : endedAt,
                taskCount,
                unfinished,
                failedTasks,
                params,
                traceparent,
                rounds,
                roundStartedAt);
    }

    /** A finished run whose {@code tasks} unfinished tasks (of which {@code failures} had failed) run again. */
    RunEntry reopened(int tasks, int failures, Instant at) {
        return new RunEntry(
                runId,
                dag,
                RunStatus.RUNNING,
                submittedAt,
                startedAt,
                null,
                taskCount,
                unfinishedTasks + tasks,
                failedTasks - failures,
                params,
                traceparent,
                rounds + 1,
                at);
    }
}
