package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.coordinator.timer.TimerKind;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.template.ExpressionException;
import java.time.Instant;
import java.util.List;

/**
 * A mapped task ({@code for_each}) that runs: its list is taken (a literal, or a template evaluated over the run's
 * state), and one instance per item, {@code NAME[i]}, is created and dispatched, as far as the unit's budget goes; the
 * rest go on by RELEASE timer with the position kept in the mapped task's entry. A template's list is not stored:
 * each batch evaluates it again, over state that does not change meanwhile (the upstream tasks it reads have ended);
 * a list of another length fails the task.
 */
final class Mapping {

    private final RunWriter writer;
    private final TaskVariables variables;

    Mapping(RunWriter writer, TaskVariables variables) {
        this.writer = writer;
        this.variables = variables;
    }

    /**
     * Takes the list and starts the instances. True when the task ended at once: SKIPPED for an empty list, FAILED
     * for a list it could not take or one longer than {@code max_instances}.
     */
    boolean start(TaskEntry mapped, RunEntry run, Instant now) {
        List<Object> items;
        try {
            items = variables.items(mapped, run);
        } catch (ExpressionException e) {
            return ended(mapped, run, now, "for_each: " + e.getMessage(), false);
        }
        int limit = mapped.spec().instanceLimit();
        if (items.size() > limit) {
            return ended(
                    mapped,
                    run,
                    now,
                    "for_each gave " + items.size() + " items; max_instances is " + limit + " (at most "
                            + TaskSpec.MAX_INSTANCES_LIMIT + ")",
                    false);
        }
        if (items.isEmpty()) {
            return ended(mapped, run, now, "for_each gave an empty list", true);
        }
        mapped.mapped(items.size(), now);
        run.instancesAdded(items.size());
        writer.save(mapped, now);
        writer.save(run, now, false);
        createInstances(mapped, items, run, now);
        return false;
    }

    /** Creates and dispatches the next instances (the list taken again when {@code items} is null). */
    void createInstances(TaskEntry mapped, List<Object> items, RunEntry run, Instant now) {
        List<Object> list = items;
        InstanceCounts instances = mapped.mapping().instances();
        if (list == null) {
            try {
                list = variables.items(mapped, run);
            } catch (ExpressionException e) {
                abandon(mapped, run, now, "for_each could not be taken again: " + e.getMessage());
                return;
            }
            if (list.size() != instances.count()) {
                abandon(
                        mapped,
                        run,
                        now,
                        "for_each gave " + list.size() + " items, not the " + instances.count()
                                + " it gave when the task started");
                return;
            }
        }
        int next = instances.created();
        WorkBudget budget = writer.budget();
        while (next < list.size() && budget.take()) {
            TaskEntry instance = TaskEntry.instanceOf(mapped, next, list.get(next));
            writer.update(instance);
            writer.dispatch(instance, run, now);
            next++;
        }
        mapped.instancesCreatedUpTo(next);
        writer.update(mapped);
        if (next < list.size()) {
            writer.schedule(Timer.ofTask(now, TimerKind.RELEASE, mapped.runId(), mapped.name()));
        }
    }

    /** The rest of the instances cannot be created: the task fails, and those instances are no longer counted. */
    private void abandon(TaskEntry mapped, RunEntry run, Instant now, String reason) {
        run.instancesDropped(mapped.mapping().instances().toCreate());
        mapped.faulted(reason, now);
        writer.save(mapped, now);
        writer.taskEnded(run, mapped, now);
        writer.schedule(Timer.ofTask(now, TimerKind.RELEASE, mapped.runId(), mapped.name()));
    }

    private boolean ended(TaskEntry mapped, RunEntry run, Instant now, String reason, boolean skipped) {
        if (skipped) {
            mapped.skipped(reason, now);
        } else {
            mapped.faulted(reason, now);
        }
        writer.save(mapped, now);
        writer.taskEnded(run, mapped, now);
        return true;
    }
}
