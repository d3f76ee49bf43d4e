package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.coordinator.timer.TimerKind;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.model.TriggerRule;
import io.dagctl.core.template.ExpressionException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * What the end of a task means for the tasks after it. Each dependent counts the end; one still waiting asks its
 * trigger rule, and runs (if its condition holds), is skipped or is upstream-failed, and in the last two cases tells
 * its own dependents in turn. A mapped task that runs creates its instances ({@link Mapping}); an instance that ends
 * tells its mapped task, which ends with its last instance. A large fan-out or cascade takes from the unit's {@link WorkBudget} and leaves the rest
 * to a {@link TimerKind#RELEASE} timer, its position kept in the task entry. (In one transaction, 100,000 dispatches
 * outlast the transaction timeout on a cold JVM, the broker aborts it, and the same work is tried again and again.)
 */
final class Downstream {

    private final RunWriter writer;
    private final RunStateStore store;
    private final TaskVariables variables;
    private final Mapping mapping;

    Downstream(RunWriter writer, TaskVariables variables) {
        this.writer = writer;
        this.store = writer.store();
        this.variables = variables;
        this.mapping = new Mapping(writer, variables);
    }

    /**
     * An instance of a mapped task ended: its mapped task counts it (once: the instance's position says it was told),
     * and ends with its last instance, joining the frontier to tell its own dependents. False when the budget ran out
     * before it: the instance keeps a RELEASE timer.
     */
    private boolean tellParent(TaskEntry instance, RunEntry run, Instant now, Deque<TaskEntry> frontier) {
        if (instance.graph().released() > 0) {
            return true; // told before (a late RELEASE timer)
        }
        if (!writer.budget().take()) {
            writer.schedule(Timer.ofTask(now, TimerKind.RELEASE, instance.runId(), instance.name()));
            return false;
        }
        instance.dependentsReleasedUpTo(1);
        writer.update(instance);
        TaskEntry mapped =
                store.task(instance.runId(), instance.mapping().instanceOf().parent());
        if (mapped == null || mapped.mapping().instances() == null) {
            return true;
        }
        // counted also when the mapped task was cancelled or failed meanwhile: a retry keeps its count of successes
        boolean last = mapped.mapping().instances().ended(instance.status());
        if (last && mapped.status() == TaskStatus.RUNNING) {
            mapped.instancesEnded(now);
            writer.save(mapped, now);
            writer.taskEnded(run, mapped, now);
            if (mapped.graph().hasDependents()) {
                frontier.add(mapped);
            }
        } else {
            writer.update(mapped);
        }
        return true;
    }

    /** Tells the dependents of a task that ended (SUCCESS, a failure or SKIPPED) as far as the budget goes. */
    void tell(TaskEntry ended, RunEntry run, Instant now) {
        if (!ended.isExpanding()
                && (TriggerRule.count(ended.status()) == null || ended.status() == TaskStatus.CANCELLED)) {
            return; // a cancelled run's sweep ends every task itself
        }
        Deque<TaskEntry> frontier = new ArrayDeque<>();
        frontier.add(ended);
        WorkBudget budget = writer.budget();
        while (!frontier.isEmpty()) {
            TaskEntry current = frontier.poll();
            if (current.isExpanding()) {
                if (run.isDispatching()) {
                    mapping.createInstances(current, null, run, now);
                }
                continue;
            }
            if (current.mapping().instanceOf() != null) {
                if (!tellParent(current, run, now, frontier)) {
                    frontier.forEach(
                            rest -> writer.schedule(Timer.ofTask(now, TimerKind.RELEASE, rest.runId(), rest.name())));
                    return;
                }
                continue;
            }
            List<String> dependents = current.graph().dependents();
            int from = current.graph().released();
            int next = from;
            InstanceCounts.End instances = current.mappedEnd();
            while (next < dependents.size() && budget.take()) {
                TaskEntry dependent = store.task(current.runId(), dependents.get(next++));
                if (instances != null) {
                    dependent.graph().upstreamEnded(current.name(), instances);
                } else {
                    dependent.graph().upstreamEnded(current.status());
                }
                // a dependent held for a place, or waiting for its pool, was decided before: a later end does not
                // decide it again
                if (dependent.status() == TaskStatus.PENDING
                        && !dependent.waitsForPlace()
                        && settle(dependent, current, run, now)) {
                    frontier.add(dependent);
                } else {
                    writer.update(dependent);
                }
            }
            keepPosition(current, from, next, now);
            if (next < dependents.size()) {
                // out of budget: each task still to tell keeps its own timer
                frontier.forEach(
                        rest -> writer.schedule(Timer.ofTask(now, TimerKind.RELEASE, rest.runId(), rest.name())));
                return;
            }
        }
    }

    /**
     * Acts on what a waiting task's trigger rule decides: it runs (when the run dispatches and its condition holds),
     * or ends SKIPPED or UPSTREAM_FAILED. True when it ended that way and has dependents to tell; the caller tells
     * them (or keeps it in its frontier).
     */
    boolean settle(TaskEntry task, RunEntry run, Instant now) {
        return settle(task, null, run, now);
    }

    /** @param cause the upstream task whose end is being told, or null */
    private boolean settle(TaskEntry task, TaskEntry cause, RunEntry run, Instant now) {
        TriggerRule.Decision decision = task.decide();
        switch (decision) {
            case WAIT -> {
                writer.update(task);
                return false;
            }
            case RUN -> {
                if (!run.isDispatching()) {
                    writer.update(task); // a run being reset dispatches it once the reset is done
                    return false;
                }
                String skipReason;
                try {
                    skipReason = unmetCondition(task, run);
                } catch (ExpressionException e) {
                    task.faulted("when: " + e.getMessage(), now);
                    return ended(task, run, now);
                }
                if (skipReason == null
                        && task.spec().isMapped()
                        && task.mapping().instanceOf() == null) {
                    return mapping.start(task, run, now) && task.graph().hasDependents();
                }
                if (skipReason == null) {
                    writer.dispatch(task, run, now);
                    return false;
                }
                task.skipped(skipReason, now);
                return ended(task, run, now);
            }
            case SKIP -> {
                task.skipped(why(task, cause, "skipped by"), now);
                return ended(task, run, now);
            }
            case UPSTREAM_FAILED -> {
                task.upstreamFailed(why(task, cause, "cannot be met:"), now);
                return ended(task, run, now);
            }
            default -> throw new IllegalStateException("unknown decision " + decision);
        }
    }

    /** Why the task's {@code when:} condition keeps it from running, or null when it runs. */
    private String unmetCondition(TaskEntry task, RunEntry run) throws ExpressionException {
        String when = task.spec().when();
        if (when == null) {
            return null;
        }
        return variables.condition(task, run) ? null : "when: " + when + " is false";
    }

    /** E.g. "upstream task 'load' ended FAILED; trigger_rule all_success cannot be met: of 2 upstream ...". */
    private static String why(TaskEntry task, TaskEntry cause, String verdict) {
        String rule = "trigger_rule " + task.spec().rule().yamlName() + " " + verdict + " "
                + task.graph().upstreamSummary();
        return cause == null ? rule : "upstream task '" + cause.name() + "' ended " + cause.status() + "; " + rule;
    }

    private boolean ended(TaskEntry task, RunEntry run, Instant now) {
        writer.save(task, now);
        writer.taskEnded(run, task, now);
        return task.graph().hasDependents();
    }

    /**
     * The position goes with the batch it ends, so a batch is never told twice, not even by a RELEASE timer of an
     * earlier round that fires late; more to tell goes on by timer.
     */
    private void keepPosition(TaskEntry task, int from, int next, Instant now) {
        int size = task.graph().dependents().size();
        if (next != from) {
            task.dependentsReleasedUpTo(next);
            writer.update(task);
        }
        if (next < size) {
            writer.schedule(Timer.ofTask(now, TimerKind.RELEASE, task.runId(), task.name()));
        }
    }
}
