package io.dagctl.coordinator.engine;

import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.graph.DagGraph;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.model.TaskStatus;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.List;

/** Applies the commands of a run: submit, cancel, retry. */
final class RunCommandHandler {

    private static final Logger LOG = System.getLogger(RunStateMachine.class.getName());

    private final RunWriter writer;
    private final RunStateStore store;
    private final RunObserver observer;

    RunCommandHandler(RunWriter writer) {
        this.writer = writer;
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
        }
    }

    private void submit(RunSubmitted submitted) {
        if (store.run(submitted.runId()) != null) {
            LOG.log(Level.DEBUG, "run {0} was submitted before; the repeat is ignored", submitted.runId());
            return;
        }
        Instant now = writer.now();
        DagSpec dag = submitted.dag();
        DagGraph graph = new DagGraph(dag);
        RunEntry run = RunEntry.started(
                submitted.runId(),
                dag.name(),
                submitted.submittedAt(),
                now,
                dag.tasks().size(),
                submitted.params(),
                observer.newRunTraceparent(submitted.runId(), dag.name()));
        writer.save(run, now, true);
        observer.runStarted(run);
        writer.logRun(
                Level.INFO,
                run,
                "run {0} of DAG {1} started: {2} task(s)",
                run.runId(),
                dag.name(),
                dag.tasks().size());
        List<TaskSpec> tasks = dag.tasks();
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec spec = tasks.get(i);
            TaskEntry task = new TaskEntry(submitted.runId(), i, spec, graph.dependentsOf(spec.name()));
            if (task.isReady()) {
                writer.dispatch(task, run, now);
            } else {
                writer.update(task);
            }
        }
    }

    private void cancel(RunCancelRequested cancel) {
        RunEntry run = store.run(cancel.runId());
        if (run == null || run.status().isTerminal()) {
            return;
        }
        Instant now = writer.now();
        String reason = cancel.reason() == null ? "cancelled" : "cancelled: " + cancel.reason();
        int cancelled = 0;
        for (TaskEntry task : store.tasks(cancel.runId())) {
            if (task.status().isTerminal()) {
                continue;
            }
            boolean attemptLive = task.status() == TaskStatus.QUEUED || task.status() == TaskStatus.RUNNING;
            if (attemptLive) {
                writer.stop(task.currentAttempt(), now, reason);
            }
            task.cancelled(reason, now);
            writer.save(task, now);
            if (attemptLive) {
                observer.attemptEnded(run, task, RunObserver.AttemptEnd.CANCELLED, now);
            }
            observer.taskEnded(run, task);
            cancelled++;
        }
        // the run entry last: a reader that sees the run ended also sees every task ended
        RunEntry after = run.cancelled(cancelled, now);
        writer.save(after, now, true);
        if (after.status().isTerminal() && after.endedAt() != null) {
            observer.runEnded(after);
        }
    }

    /** Runs a finished run's unsuccessful tasks again; what succeeded stays done. */
    private void retry(TaskRetryRequested retry) {
        RunEntry run = store.run(retry.runId());
        if (run == null || !run.status().isTerminal() || run.status() == RunStatus.SUCCESS) {
            LOG.log(
                    Level.INFO,
                    "run {0}: retry ignored, the run is {1}",
                    retry.runId(),
                    run == null ? "unknown" : run.status());
            return;
        }
        Instant now = writer.now();
        List<TaskEntry> tasks = store.tasks(retry.runId());
        long failedBefore = tasks.stream().filter(t -> t.status().isFailure()).count();
        List<TaskEntry> again = RetryPlan.reset(tasks, retry.task());
        if (again.isEmpty()) {
            return;
        }
        long failedAfter = tasks.stream().filter(t -> t.status().isFailure()).count(); // the reset ones are PENDING
        RunEntry reopened = run.reopened(again.size(), (int) (failedBefore - failedAfter), now);
        writer.save(reopened, now, true);
        observer.runStarted(reopened);
        for (TaskEntry task : again) {
            if (task.isReady()) {
                writer.dispatch(task, reopened, now);
            } else {
                writer.save(task, now);
            }
        }
    }
}
