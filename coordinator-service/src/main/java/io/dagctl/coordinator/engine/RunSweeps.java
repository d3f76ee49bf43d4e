package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.coordinator.timer.TimerKind;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import java.time.Instant;
import java.util.List;

/**
 * Goes on with a run's {@link Sweep}: a batch of its tasks, in key order, as far as the unit's budget goes; then keeps
 * its place in the run entry and sets a SWEEP timer for the next batch. Other records and other runs' timers are
 * handled between two batches.
 */
final class RunSweeps {

    private final RunWriter writer;
    private final RunStateStore store;
    private final RunObserver observer;
    private final Downstream downstream;

    RunSweeps(RunWriter writer, Downstream downstream) {
        this.writer = writer;
        this.downstream = downstream;
        this.store = writer.store();
        this.observer = writer.observer();
    }

    void step(RunEntry run, Instant now) {
        if (run.sweep() == null) {
            return; // a timer of a sweep that has ended
        }
        WorkBudget budget = writer.budget();
        boolean oneTask = run.sweep().stepwise() > 0;
        while (run.sweep() != null && !budget.isSpent()) {
            Sweep sweep = run.sweep();
            int wanted = oneTask ? 1 : budget.left();
            List<TaskEntry> batch = store.tasksAfter(run.runId(), sweep.after(), wanted);
            String last = sweep.after();
            int handled = 0;
            for (TaskEntry task : batch) {
                if (!budget.take()) {
                    break;
                }
                apply(sweep.kind(), run, task, now);
                last = task.name();
                handled++;
                if (run.sweep() == null) {
                    break; // the run ended: its last unfinished task was cancelled
                }
            }
            if (run.sweep() == null) {
                break;
            }
            if (handled == batch.size() && batch.size() < wanted) {
                finished(run, sweep, now);
            } else {
                run.sweepContinues(sweep.past(last));
            }
            if (oneTask) {
                break; // the next task in a unit of its own
            }
        }
        writer.save(run, now, false);
        if (run.sweep() != null) {
            writer.schedule(Timer.ofRun(now, TimerKind.SWEEP, run.runId()));
        }
    }

    private void apply(Sweep.Kind kind, RunEntry run, TaskEntry task, Instant now) {
        switch (kind) {
            case DISPATCH -> {
                if (task.isExpanding() && run.isDispatching()) {
                    downstream.tell(task, run, now); // a retried mapped task creates the rest of its instances
                } else if (task.isDecided() && run.isDispatching() && downstream.settle(task, run, now)) {
                    downstream.tell(task, run, now);
                }
            }
            case RESET -> {
                if (task.status() != TaskStatus.SUCCESS && task.status().isTerminal()) {
                    boolean wasFailure = task.status().isFailure();
                    task.resetForRetry();
                    writer.save(task, now);
                    run.taskReset(wasFailure);
                    InstanceCounts instances = task.mapping().instances();
                    if (instances != null && instances.toCreate() > 0) {
                        run.instancesStillToCreate(instances.toCreate());
                    }
                }
            }
            case CANCEL -> {
                if (!task.status().isTerminal()) {
                    cancel(run, task, now);
                }
            }
        }
    }

    private void cancel(RunEntry run, TaskEntry task, Instant now) {
        boolean attemptLive = task.hasLiveAttempt();
        String reason = run.error() == null ? "cancelled" : run.error();
        if (attemptLive) {
            writer.stop(task.currentAttempt(), now, reason);
        }
        task.cancelled(reason, now);
        writer.save(task, now);
        if (attemptLive) {
            observer.attemptEnded(run, task, RunObserver.AttemptEnd.CANCELLED, now);
        }
        writer.taskEnded(run, task, now);
    }

    /**
     * A step of the run's sweep failed and was not applied. The tasks of that step go again one per transaction;
     * when a step of one task fails, that task is passed over and its name returned (its caller fails it), so the
     * sweep always goes on. Null when no task is to blame yet.
     */
    String faulted(RunEntry run, String reason, Instant now) {
        Sweep sweep = run.sweep();
        if (sweep == null) {
            return null;
        }
        String culprit = null;
        if (sweep.stepwise() > 0) {
            culprit = store.nextTaskName(run.runId(), sweep.after());
            if (culprit == null) {
                // what failed was the sweep's own end: a cancel ends the run now, anything else cancels it
                endAfterFault(run, reason, now);
                return null;
            }
            run.sweepContinues(sweep.past(culprit));
            run.faulted(reason);
        } else {
            run.sweepContinues(sweep.stepwise(writer.budget().size()));
        }
        writer.save(run, now, false);
        writer.schedule(Timer.ofRun(now, TimerKind.SWEEP, run.runId()));
        return culprit;
    }

    private void endAfterFault(RunEntry run, String reason, Instant now) {
        if (run.status() == RunStatus.CANCELLING) {
            endNow(run, reason, now);
        } else {
            run.cancelling(reason, RunStatus.FAILED);
            writer.save(run, now, true);
            writer.schedule(Timer.ofRun(now, TimerKind.SWEEP, run.runId()));
        }
    }

    /** A cancelling run whose sweep cannot go on ends at once, as its cancel asked, with the reason. */
    void endNow(RunEntry run, String reason, Instant now) {
        run.faulted(reason);
        run.endCancelled(now);
        writer.save(run, now, true);
        writer.runEnded(run);
    }

    /** The sweep went through every task: a reset is followed by a dispatch; a run left with nothing to do ends. */
    private void finished(RunEntry run, Sweep sweep, Instant now) {
        if (sweep.kind() == Sweep.Kind.RESET) {
            run.sweepContinues(Sweep.from(Sweep.Kind.DISPATCH, null));
        } else if (sweep.kind() == Sweep.Kind.CANCEL) {
            // every task was stopped, or could not be (a fault): the run ends either way, it must not wait forever
            run.endCancelled(now);
            writer.save(run, now, true);
            writer.runEnded(run);
        } else if (run.endIfNothingLeft(now)) {
            writer.save(run, now, true);
            writer.runEnded(run);
        } else {
            run.sweepContinues(null);
        }
    }
}
