package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.coordinator.timer.TimerKind;
import io.dagctl.core.event.PoolSlotGranted;
import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.RunReleased;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.graph.DagChecks;
import io.dagctl.core.graph.DagGraph;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskSpec;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Applies the commands of a run: submit, cancel, retry. Each writes what it must at once and leaves the bulk (the
 * dispatch of many roots, the stop of many tasks, the reset of a large run) to a {@link Sweep} that goes on in batches.
 */
final class RunCommandHandler {

    private static final Logger LOG = System.getLogger(RunStateMachine.class.getName());

    private final RunWriter writer;
    private final RunSweeps sweeps;
    private final RunStateStore store;
    private final RunObserver observer;
    private final Downstream downstream;

    RunCommandHandler(RunWriter writer, RunSweeps sweeps, Downstream downstream) {
        this.writer = writer;
        this.downstream = downstream;
        this.sweeps = sweeps;
        this.store = writer.store();
        this.observer = writer.observer();
    }

    void apply(RunCommand command) {
        if (command instanceof RunSubmitted submitted) {
            submit(submitted);
        } else if (command instanceof RunCancelRequested cancel) {
            cancel(cancel);
        } else if (command instanceof TaskRetryRequested retry) {
            retry(retry);
        } else if (command instanceof RunReleased released) {
            release(released);
        } else if (command instanceof PoolSlotGranted grant) {
            granted(grant);
        }
    }

    /**
     * A pool's owner granted a task's claim: its attempt is queued now. A grant of a claim the task no longer waits
     * for (it ended, or an earlier claim's grant crossed its release) is given back; one sent again for a claim already
     * granted changes nothing.
     */
    private void granted(PoolSlotGranted grant) {
        Instant now = writer.now();
        TaskEntry task = store.task(grant.runId(), grant.task());
        RunEntry run = store.run(grant.runId());
        String current = task == null ? null : task.waits().pool().holder(task.runId(), task.name());
        if (task == null
                || run == null
                || !grant.holder().equals(current)
                || !task.waits().pool().isWaiting()) {
            if (task == null
                    || !grant.holder().equals(current)
                    || !task.waits().pool().isGranted()) {
                writer.releasePool(grant.pool(), grant.holder(), now);
            }
            return;
        }
        task.waits().pool().granted();
        if (run.isDispatching()) {
            writer.queue(task, run, now);
        } else {
            writer.update(task); // given back before the unit commits: the run does not dispatch
        }
    }

    /**
     * Writes every task entry of the new run, then starts (or skips, by their conditions) its roots in declaration
     * order as far as the budget goes; the rest of them go out with a dispatch sweep. A run submitted QUEUED (its DAG
     * at {@code max_active_runs}) only writes its entries: its roots go out when it is released.
     */
    private void submit(RunSubmitted submitted) {
        RunEntry existing = store.run(submitted.runId());
        if (existing != null) {
            LOG.log(Level.DEBUG, "run {0} was submitted before; the repeat is ignored", submitted.runId());
            if (RunSubmitted.TRIGGER_BACKFILL.equals(submitted.trigger())
                    && !submitted.submissionId().equals(existing.submissionId())) {
                writer.runExistedBefore(submitted.dag().name(), existing);
            } else if (!RunSubmitted.TRIGGER_BACKFILL.equals(submitted.trigger())
                    && submitted.dagVersion() != null
                    && existing.status().isTerminal()) {
                // its DAG's owner counted it as started again (a tick or a trigger of a run that had ended): it
                // must not hold a place under max_active_runs, or hold back the schedule, for ever
                writer.runExistedBefore(submitted.dag().name(), existing);
            }
            return;
        }
        Instant now = writer.now();
        DagSpec dag = submitted.dag();
        List<String> problems = DagChecks.structuralProblems(dag);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("the DAG is not valid: " + String.join("; ", problems));
        }
        DagGraph graph = new DagGraph(dag);
        String traceparent = observer.newRunTraceparent(submitted.runId(), dag.name());
        boolean queued = submitted.waitsForRelease();
        RunEntry run = queued
                ? RunEntry.queued(
                        submitted.runId(),
                        dag.name(),
                        submitted.submittedAt(),
                        dag.tasks().size(),
                        submitted.params(),
                        traceparent)
                : RunEntry.started(
                        submitted.runId(),
                        dag.name(),
                        submitted.submittedAt(),
                        now,
                        dag.tasks().size(),
                        submitted.params(),
                        traceparent);
        run.identifySubmission(submitted.submissionId(), submitted.digest());
        run.source(submitted.dagVersion(), submitted.trigger(), submitted.logicalDate());
        run.paramTypes(dag.params());
        run.limit().limit(dag.maxActiveTasks());
        writer.save(run, now, true);
        if (queued) {
            writer.logRun(
                    Level.INFO,
                    run,
                    "run {0} of DAG {1} waits QUEUED: the DAG has max_active_runs ({2}) runs running",
                    run.runId(),
                    dag.name(),
                    dag.maxActiveRuns());
        } else {
            observer.runStarted(run);
            if (RunSubmitted.TRIGGER_SCHEDULE.equals(submitted.trigger())) {
                observer.scheduledRunStarted(Duration.between(submitted.logicalDate(), now));
            }
            writer.logRun(
                    Level.INFO,
                    run,
                    "run {0} of DAG {1} started: {2} task(s)",
                    run.runId(),
                    dag.name(),
                    dag.tasks().size());
        }
        List<TaskSpec> tasks = dag.tasks();
        List<TaskEntry> roots = new ArrayList<>();
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec spec = tasks.get(i);
            TaskEntry task = new TaskEntry(submitted.runId(), i, spec, graph.dependentsOf(spec.name()));
            writer.update(task);
            if (task.isDecided()) {
                roots.add(task); // no upstream tasks, or trigger_rule always
            }
        }
        if (queued) {
            return;
        }
        WorkBudget budget = writer.budget();
        for (TaskEntry root : roots) {
            if (!budget.take()) {
                run.sweepContinues(Sweep.from(Sweep.Kind.DISPATCH, null));
                sweeps.step(run, now);
                return;
            }
            if (downstream.settle(root, run, now)) {
                downstream.tell(root, run, now); // skipped by its condition
            }
        }
    }

    /** The DAG's owner lets a QUEUED run start: its roots go out with a dispatch sweep. */
    private void release(RunReleased released) {
        RunEntry run = store.run(released.runId());
        if (run == null || run.status() != RunStatus.QUEUED) {
            LOG.log(
                    Level.DEBUG,
                    "run {0}: release ignored, the run is {1}",
                    released.runId(),
                    run == null ? "unknown" : run.status());
            return; // cancelled while it waited: its end already gave its place back
        }
        Instant now = writer.now();
        run.released(now);
        run.sweepContinues(Sweep.from(Sweep.Kind.DISPATCH, null));
        writer.save(run, now, true);
        observer.runStarted(run);
        if (RunSubmitted.TRIGGER_SCHEDULE.equals(run.trigger())) {
            observer.scheduledRunStarted(Duration.between(run.logicalDate(), now));
        }
        writer.logRun(Level.INFO, run, "run {0} of DAG {1} started after waiting QUEUED", run.runId(), run.dag());
        sweeps.step(run, now);
    }

    private void cancel(RunCancelRequested cancel) {
        RunEntry run = store.run(cancel.runId());
        if (run == null || (run.status() != RunStatus.RUNNING && run.status() != RunStatus.QUEUED)) {
            return;
        }
        Instant now = writer.now();
        run.cancelling(cancel.reason() == null ? "cancelled" : "cancelled: " + cancel.reason(), RunStatus.CANCELLED);
        writer.save(run, now, true);
        sweeps.step(run, now);
    }

    /** Runs a finished run's unsuccessful tasks again; what succeeded stays done. */
    private void retry(TaskRetryRequested retry) {
        RunEntry run = store.run(retry.runId());
        if (run == null || !run.status().isTerminal() || run.status() == RunStatus.SUCCESS || run.taskCount() == 0) {
            LOG.log(
                    Level.INFO,
                    "run {0}: retry ignored, the run is {1}",
                    retry.runId(),
                    run == null ? "unknown" : run.status() + " with " + run.taskCount() + " task(s)");
            return;
        }
        Instant now = writer.now();
        run.reopened(now);
        writer.save(run, now, true);
        writer.runReopened(run, now);
        observer.runStarted(run);
        sweeps.step(run, now);
    }

    /**
     * A command about the run could not be applied. A submission that failed leaves a FAILED run that says why; a run
     * that still runs is ended (its tasks stopped, the run FAILED with the reason); a finished run keeps the reason.
     */
    void faulted(RunCommand command, String reason) {
        Instant now = writer.now();
        RunEntry run = store.run(command.runId());
        if (run == null) {
            if (command instanceof RunSubmitted submitted) {
                RunEntry failed = RunEntry.failedAtSubmission(
                        submitted.runId(),
                        submitted.dag().name() == null
                                ? "(unnamed)"
                                : submitted.dag().name(),
                        submitted.submittedAt(),
                        now,
                        "the submission could not be applied: " + reason);
                failed.identifySubmission(submitted.submissionId(), submitted.digest());
                failed.source(submitted.dagVersion(), submitted.trigger(), submitted.logicalDate());
                writer.save(failed, now, true);
                observer.runStarted(failed);
                writer.runEnded(failed);
            }
            return;
        }
        endRun(run, reason, now);
    }

    /**
     * Something the run relied on could not be applied: a running run is ended FAILED (its tasks stopped by a sweep
     * that starts by timer, in units of its own, so that a task that fails it again is passed over), any other keeps
     * the reason.
     */
    void endRun(RunEntry run, String reason, Instant now) {
        if (run.status() == RunStatus.RUNNING || run.status() == RunStatus.QUEUED) {
            run.cancelling(reason, RunStatus.FAILED);
            writer.save(run, now, true);
            writer.schedule(Timer.ofRun(now, TimerKind.SWEEP, run.runId()));
        } else {
            run.faulted(reason);
            writer.save(run, now, false);
        }
    }
}
