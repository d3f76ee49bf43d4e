package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.coordinator.timer.TimerKind;
import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.TaskCancelRequested;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.event.TaskHeartbeat;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.event.TaskStarted;
import io.dagctl.core.event.WorkerEvent;
import io.dagctl.core.graph.DagGraph;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.TaskReport;
import io.dagctl.core.telemetry.TaskLogContext;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The run and task state machines (docs/architecture.md). Applied by the owner of a run's partition only, one record
 * at a time; every write goes to {@link RunStateStore} and every dispatch to the sink, both inside the same Kafka
 * transaction, so a crash can neither lose a transition nor apply one twice.
 */
public final class RunStateMachine {

    private static final System.Logger LOG = System.getLogger(RunStateMachine.class.getName());
    private static final double JITTER = 0.10;

    private final RunStateStore store;
    private final RunOutput output;
    private final Clock clock;
    private final RandomGenerator random;
    private final Duration lease;
    private final Duration timeoutGrace;
    private final Duration queueTimeout;
    private final int releaseBatch;
    private final RunObserver observer;

    public RunStateMachine(RunStateStore store, RunOutput output, Clock clock,
            RandomGenerator random, Duration lease, Duration timeoutGrace, Duration queueTimeout, int releaseBatch,
            RunObserver observer) {
        this.store = store;
        this.output = output;
        this.clock = clock;
        this.random = random;
        this.lease = lease;
        this.timeoutGrace = timeoutGrace;
        this.queueTimeout = queueTimeout;
        this.releaseBatch = releaseBatch;
        this.observer = observer;
    }

    public void apply(RunCommand command) {
        if (command instanceof RunSubmitted submitted) {
            submit(submitted);
        } else if (command instanceof RunCancelRequested cancel) {
            cancel(cancel);
        } else if (command instanceof TaskRetryRequested retry) {
            retry(retry);
        }
    }

    public void apply(WorkerEvent event) {
        AttemptId id = event.attempt();
        TaskEntry task = store.task(id.runId(), id.task());
        if (task == null || !task.isCurrent(id)) {
            observer.zombieReport(id);
            RunEntry run = store.run(id.runId());
            try (TaskLogContext ignored = TaskLogContext.of(id, event.workerId(), run == null ? null : run.traceparent())) {
                LOG.log(Level.INFO, "zombie report: dropped {0} for {1}: not the current attempt (task is {2}, attempt {3})",
                        event.getClass().getSimpleName(), id, task == null ? "unknown" : task.status(),
                        task == null ? 0 : task.attempt());
            }
            if (task != null && !(event instanceof TaskFinished)) {
                // a worker still runs an attempt that was superseded: tell it to stop
                output.cancel(new TaskCancelRequested(1, id.toString(), clock.instant(),
                        "attempt " + id.attempt() + " was superseded; the task is " + task.status() + " at attempt " + task.attempt()));
            }
            return;
        }
        Instant now = clock.instant();
        if (event instanceof TaskStarted started) {
            if (task.status() == TaskStatus.RUNNING && !started.workerId().equals(task.workerId())) {
                // Kafka re-delivered the dispatch record (its first worker died): the attempt runs on another worker
                task.movedTo(started.workerId(), now.plus(lease));
                store.put(task);
                emit(task, now);
            } else if (task.status() == TaskStatus.QUEUED) {
                Duration latency = Duration.between(task.queuedAt(), started.startedAt());
                task.started(started.workerId(), started.startedAt(), now.plus(lease),
                        now.plus(task.spec().timeout()).plus(timeoutGrace));
                store.put(task);
                emit(task, now);
                observer.taskStarted(task, latency.isNegative() ? Duration.ZERO : latency);
                // one timer watches both the lease and the timeout: a short task then leaves one timer, not two
                store.schedule(new Timer(earlier(now.plus(lease), timeoutDeadline(task)), TimerKind.LEASE, id));
            }
        } else if (event instanceof TaskHeartbeat) {
            if (task.status() == TaskStatus.RUNNING) {
                task.heartbeat(now.plus(lease));
                store.put(task);
                observer.heartbeat(id);
            }
        } else if (event instanceof TaskFinished finished) {
            finish(task, finished, now);
        }
    }

    public void fireDueTimers() {
        Instant now = clock.instant();
        for (Timer timer : store.takeDue(now)) {
            TaskEntry task = store.task(timer.attempt().runId(), timer.attempt().task());
            if (task == null || task.attempt() != timer.attempt().attempt()) {
                continue;
            }
            switch (timer.kind()) {
                case RETRY -> {
                    if (task.status() == TaskStatus.RETRYING) {
                        dispatch(task, now);
                    }
                }
                case START -> {
                    if (task.status() == TaskStatus.QUEUED) {
                        logTask(Level.WARNING, task, "attempt {0} was not started within {1}; queuing a new attempt",
                                task.currentAttempt(), queueTimeout);
                        output.cancel(new TaskCancelRequested(1, task.currentAttempt().toString(), now, "not started in time"));
                        task.notStartedInTime("attempt " + task.attempt() + " was not started within " + queueTimeout);
                        RunEntry run = store.run(task.runId());
                        observer.attemptEnded(run, task, RunObserver.AttemptEnd.NOT_STARTED, now);
                        dispatch(task, now, run);
                    }
                }
                case LEASE -> {
                    if (task.status() == TaskStatus.RUNNING) {
                        checkDeadlines(task, now);
                    }
                }
                case TIMEOUT -> {
                    // written by versions that kept a separate timeout timer; still in stores they left behind
                    if (task.status() == TaskStatus.RUNNING) {
                        timedOut(task, now);
                    }
                }
                case RELEASE -> {
                    if (task.status() == TaskStatus.SUCCESS) {
                        releaseDependents(task, store.run(task.runId()), now);
                    }
                }
            }
        }
    }

    private void submit(RunSubmitted submitted) {
        if (store.run(submitted.runId()) != null) {
            LOG.log(Level.DEBUG, "run {0} was submitted before; the repeat is ignored", submitted.runId());
            return;
        }
        Instant now = clock.instant();
        DagSpec dag = submitted.dag();
        DagGraph graph = new DagGraph(dag);
        RunEntry run = RunEntry.started(submitted.runId(), dag.name(), submitted.submittedAt(), now, dag.tasks().size(),
                submitted.params(), observer.newRunTraceparent(submitted.runId(), dag.name()));
        store.put(run);
        observer.runStarted(run);
        logRun(Level.INFO, run, "run {0} of DAG {1} started: {2} task(s)", run.runId(), dag.name(), dag.tasks().size());
        output.event(RunEvent.ofRun(submitted.runId(), now, RunStatus.RUNNING.name()));
        List<TaskSpec> tasks = dag.tasks();
        for (int i = 0; i < tasks.size(); i++) {
            TaskSpec spec = tasks.get(i);
            TaskEntry task = new TaskEntry(submitted.runId(), i, spec, graph.dependentsOf(spec.name()));
            if (task.isReady()) {
                dispatch(task, now, run);
            } else {
                store.put(task);
            }
        }
    }

    private void dispatch(TaskEntry task, Instant now) {
        dispatch(task, now, store.run(task.runId()));
    }

    private void dispatch(TaskEntry task, Instant now, RunEntry run) {
        AttemptId attempt = task.queueNewAttempt(now);
        store.put(task);
        emit(task, now);
        Instant startBy = now.plus(queueTimeout);
        store.schedule(new Timer(startBy.plusSeconds(1), TimerKind.START, attempt));
        TaskSpec spec = task.spec();
        Map<String, String> env = spec.env();
        if (!run.params().isEmpty()) {
            env = new java.util.HashMap<>(run.paramEnv());
            env.putAll(spec.env());
        }
        output.dispatch(TaskDispatched.of(attempt, spec.type(), spec.command(), env, spec.timeout(), lease.toMillis(), now,
                startBy, observer.attemptTraceparent(run, attempt)));
        observer.taskDispatched(run, task);
    }

    private void finish(TaskEntry task, TaskFinished result, Instant now) {
        RunEntry before = store.run(task.runId());
        if (task.status() == TaskStatus.QUEUED && result.outcome() != Outcome.NOT_STARTED && result.startedAt() != null) {
            // a result straight from QUEUED: a noop task, which a worker completes without a start report
            Duration latency = Duration.between(task.queuedAt(), result.startedAt());
            observer.taskStarted(task, latency.isNegative() ? Duration.ZERO : latency);
        }
        task.recordResult(result);
        if (result.outcome() == Outcome.SUCCEEDED) {
            task.end(TaskStatus.SUCCESS, now);
            store.put(task);
            emit(task, now);
            observer.attemptEnded(before, task, RunObserver.AttemptEnd.SUCCEEDED, now);
            RunEntry run = taskEnded(before, task, now);
            releaseDependents(task, run, now);
            return;
        }
        RunObserver.AttemptEnd end = result.outcome() == Outcome.TIMED_OUT ? RunObserver.AttemptEnd.TIMED_OUT
                : RunObserver.AttemptEnd.FAILED;
        if (task.hasRetriesLeft()) {
            Duration backoff = jitter(task.scheduleRetry());
            store.put(task);
            emit(task, now);
            store.schedule(new Timer(now.plus(backoff), TimerKind.RETRY, task.currentAttempt()));
            observer.attemptEnded(before, task, end, now);
            observer.retryScheduled(before, task, backoff);
            return;
        }
        task.end(result.outcome() == Outcome.TIMED_OUT ? TaskStatus.TIMED_OUT : TaskStatus.FAILED, now);
        store.put(task);
        emit(task, now);
        observer.attemptEnded(before, task, end, now);
        RunEntry after = taskEnded(before, task, now);
        failDownstream(after, task, now);
    }

    /**
     * Tells the dependents of a succeeded task, at most {@code releaseBatch} of them per transaction, and dispatches
     * those it made ready. A larger fan-out keeps its place in the task entry and goes on at the next timer tick, in
     * a transaction of its own: in one, 100,000 dispatches outlast the transaction timeout on a cold JVM, the broker
     * aborts the transaction, and the same work is tried again and again.
     */
    private void releaseDependents(TaskEntry task, RunEntry run, Instant now) {
        List<String> dependents = task.dependents();
        int from = task.dependentsReleased();
        if (from >= dependents.size() || run.status().isTerminal()) {
            return;
        }
        int to = Math.min(dependents.size(), from + releaseBatch);
        for (String dependentName : dependents.subList(from, to)) {
            TaskEntry dependent = store.task(task.runId(), dependentName);
            if (dependent.dependencySucceeded()) {
                dispatch(dependent, now, run); // one run read for a whole fan-out, not one per dependent
            } else {
                store.put(dependent);
            }
        }
        boolean batched = from > 0 || to < dependents.size();
        if (batched) {
            // the position goes with the batch it ends, so a batch is never released twice
            task.dependentsReleasedUpTo(to);
            store.put(task);
        }
        if (to < dependents.size()) {
            store.schedule(new Timer(now, TimerKind.RELEASE, task.currentAttempt()));
        }
    }

    /** Every task that (transitively) depends on {@code failed} can never run: UPSTREAM_FAILED. */
    private void failDownstream(RunEntry run, TaskEntry failed, Instant now) {
        Deque<TaskEntry> frontier = new ArrayDeque<>();
        frontier.add(failed);
        while (!frontier.isEmpty()) {
            TaskEntry current = frontier.poll();
            for (String dependentName : current.dependents()) {
                TaskEntry dependent = store.task(current.runId(), dependentName);
                if (dependent.status() == TaskStatus.PENDING) {
                    dependent.upstreamFailed(current.name(), now);
                    store.put(dependent);
                    emit(dependent, now);
                    run = taskEnded(run, dependent, now);
                    frontier.add(dependent);
                }
            }
        }
    }

    /** When a running attempt's worker must have reported by: its timeout plus the grace, from its start. */
    private Instant timeoutDeadline(TaskEntry task) {
        return task.reportDueAt() != null ? task.reportDueAt()
                : task.startedAt().plus(task.spec().timeout()).plus(timeoutGrace);
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /**
     * A running attempt's timer fired: past its timeout it ends TIMED_OUT; past its lease it is lost and dispatched
     * again; otherwise (heartbeats moved the lease) the timer is set again for whichever deadline comes first.
     */
    private void checkDeadlines(TaskEntry task, Instant now) {
        Instant timeoutAt = timeoutDeadline(task);
        if (!now.isBefore(timeoutAt)) {
            timedOut(task, now);
            return;
        }
        if (now.isBefore(task.leaseExpiresAt())) {
            store.schedule(new Timer(earlier(task.leaseExpiresAt(), timeoutAt), TimerKind.LEASE, task.currentAttempt()));
            return;
        }
        logTask(Level.WARNING, task, "attempt {0} on worker {1}: no heartbeat since {2}; dispatching a new attempt",
                task.currentAttempt(), task.workerId(), task.leaseExpiresAt().minus(lease));
        task.lost("attempt " + task.attempt() + " lost: worker " + task.workerId() + " stopped sending heartbeats");
        output.cancel(new TaskCancelRequested(1, task.currentAttempt().toString(), now, "lease expired"));
        RunEntry run = store.run(task.runId());
        observer.attemptEnded(run, task, RunObserver.AttemptEnd.LOST, now);
        dispatch(task, now, run);
    }

    private void timedOut(TaskEntry task, Instant now) {
        finish(task, new TaskFinished(1, task.currentAttempt().toString(), task.workerId(), -1, Outcome.TIMED_OUT, null,
                null, task.startedAt(), now, "worker " + task.workerId() + " did not report within the timeout plus "
                        + timeoutGrace.toSeconds() + " s"), now);
    }

    private void cancel(RunCancelRequested cancel) {
        RunEntry run = store.run(cancel.runId());
        if (run == null || run.status().isTerminal()) {
            return;
        }
        Instant now = clock.instant();
        String reason = cancel.reason() == null ? "cancelled" : "cancelled: " + cancel.reason();
        int cancelled = 0;
        for (TaskEntry task : store.tasks(cancel.runId())) {
            if (task.status().isTerminal()) {
                continue;
            }
            boolean attemptLive = task.status() == TaskStatus.QUEUED || task.status() == TaskStatus.RUNNING;
            if (attemptLive) {
                output.cancel(new TaskCancelRequested(1, task.currentAttempt().toString(), now, reason));
            }
            task.failWith(reason);
            task.end(TaskStatus.CANCELLED, now);
            store.put(task);
            emit(task, now);
            if (attemptLive) {
                observer.attemptEnded(run, task, RunObserver.AttemptEnd.CANCELLED, now);
            }
            observer.taskEnded(run, task);
            cancelled++;
        }
        // the run entry last: a reader that sees the run ended also sees every task ended
        RunEntry after = run.cancelled(cancelled, now);
        store.put(after);
        output.event(RunEvent.ofRun(run.runId(), now, RunStatus.CANCELLED.name()));
        if (after.status().isTerminal() && after.endedAt() != null) {
            observer.runEnded(after);
        }
    }

    /** Runs a finished run's unsuccessful tasks again; what succeeded stays done. */
    private void retry(TaskRetryRequested retry) {
        RunEntry run = store.run(retry.runId());
        if (run == null || !run.status().isTerminal() || run.status() == RunStatus.SUCCESS) {
            LOG.log(Level.INFO, "run {0}: retry ignored, the run is {1}", retry.runId(), run == null ? "unknown" : run.status());
            return;
        }
        Instant now = clock.instant();
        List<TaskEntry> tasks = store.tasks(retry.runId());
        long failedBefore = tasks.stream().filter(t -> t.status().isFailure()).count();
        List<TaskEntry> again = RetryPlan.reset(tasks, retry.task());
        if (again.isEmpty()) {
            return;
        }
        long failedAfter = tasks.stream().filter(t -> t.status().isFailure()).count(); // the reset ones are PENDING
        RunEntry reopened = run.reopened(again.size(), (int) (failedBefore - failedAfter), now);
        store.put(reopened);
        output.event(RunEvent.ofRun(run.runId(), now, RunStatus.RUNNING.name()));
        observer.runStarted(reopened);
        for (TaskEntry task : again) {
            if (task.isReady()) {
                dispatch(task, now, reopened);
            } else {
                store.put(task);
                emit(task, now);
            }
        }
    }

    private void emit(TaskEntry task, Instant now) {
        TaskReport view = task.toReport();
        output.event(RunEvent.ofTask(task.runId(), now, task.name(), task.attempt(), task.status().name(),
                view.workerId(), view.exitCode(), view.error()));
    }

    /** Counts a task that reached a terminal status into its run, which ends with its last task. */
    private RunEntry taskEnded(RunEntry before, TaskEntry task, Instant now) {
        RunEntry after = before.taskEnded(task.status() != TaskStatus.SUCCESS, now);
        store.put(after);
        observer.taskEnded(after, task);
        if (after.status() != before.status()) {
            output.event(RunEvent.ofRun(after.runId(), now, after.status().name()));
            observer.runEnded(after);
            logRun(Level.INFO, after, "run {0} ended {1}: {2} of {3} task(s) did not succeed", after.runId(),
                    after.status(), after.failedTasks(), after.taskCount());
        }
        return after;
    }

    private static void logRun(Level level, RunEntry run, String message, Object... args) {
        try (TaskLogContext ignored = TaskLogContext.ofRun(run.runId(), run.traceparent())) {
            LOG.log(level, message, args);
        }
    }

    /** Logs a line about a task with its ids (and its run's trace id) as fields. */
    private void logTask(Level level, TaskEntry task, String message, Object... args) {
        RunEntry run = store.run(task.runId());
        try (TaskLogContext ignored = TaskLogContext.of(task.currentAttempt(), task.workerId(),
                run == null ? null : run.traceparent())) {
            LOG.log(level, message, args);
        }
    }

    private Duration jitter(Duration backoff) {
        long millis = backoff.toMillis();
        long spread = Math.round(millis * JITTER);
        return spread == 0 ? backoff : Duration.ofMillis(millis - spread + random.nextLong(2 * spread + 1));
    }
}
