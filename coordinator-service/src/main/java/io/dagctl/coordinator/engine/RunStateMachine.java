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
    private final EngineCounters counters;

    public RunStateMachine(RunStateStore store, RunOutput output, Clock clock,
            RandomGenerator random, Duration lease, Duration timeoutGrace, Duration queueTimeout, EngineCounters counters) {
        this.store = store;
        this.output = output;
        this.clock = clock;
        this.random = random;
        this.lease = lease;
        this.timeoutGrace = timeoutGrace;
        this.queueTimeout = queueTimeout;
        this.counters = counters;
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
            counters.zombieReports.incrementAndGet();
            LOG.log(Level.INFO, "zombie report: dropped {0} for {1}: not the current attempt (task is {2}, attempt {3})",
                    event.getClass().getSimpleName(), id, task == null ? "unknown" : task.status(),
                    task == null ? 0 : task.attempt());
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
                task.started(started.workerId(), started.startedAt(), now.plus(lease));
                store.put(task);
                emit(task, now);
                store.schedule(new Timer(now.plus(lease), TimerKind.LEASE, id));
                store.schedule(new Timer(now.plus(task.spec().timeout()).plus(timeoutGrace), TimerKind.TIMEOUT, id));
            }
        } else if (event instanceof TaskHeartbeat) {
            if (task.status() == TaskStatus.RUNNING) {
                task.heartbeat(now.plus(lease));
                store.put(task);
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
                        counters.lostAttempts.incrementAndGet();
                        LOG.log(Level.WARNING, "attempt {0} was not started within {1}; queuing a new attempt",
                                task.currentAttempt(), queueTimeout);
                        output.cancel(new TaskCancelRequested(1, task.currentAttempt().toString(), now, "not started in time"));
                        task.notStartedInTime("attempt " + task.attempt() + " was not started within " + queueTimeout);
                        dispatch(task, now);
                    }
                }
                case LEASE -> {
                    if (task.status() == TaskStatus.RUNNING) {
                        checkLease(task, now);
                    }
                }
                case TIMEOUT -> {
                    if (task.status() == TaskStatus.RUNNING) {
                        Instant started = task.startedAt() != null ? task.startedAt() : now;
                        finish(task, new TaskFinished(1, timer.attempt().toString(), task.workerId(), -1,
                                Outcome.TIMED_OUT, null, null, started, now, "worker " + task.workerId()
                                        + " did not report within the timeout plus " + timeoutGrace.toSeconds() + " s"), now);
                    }
                }
            }
        }
    }

    private void submit(RunSubmitted submitted) {
        if (store.run(submitted.runId()) != null) {
            counters.duplicateSubmissions.incrementAndGet();
            return;
        }
        Instant now = clock.instant();
        DagSpec dag = submitted.dag();
        DagGraph graph = new DagGraph(dag);
        RunEntry run = new RunEntry(submitted.runId(), dag.name(), RunStatus.RUNNING, submitted.submittedAt(), now, null,
                dag.tasks().size(), dag.tasks().size(), 0, submitted.params());
        store.put(run);
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
        counters.runsSubmitted.incrementAndGet();
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
                startBy));
        counters.tasksDispatched.incrementAndGet();
    }

    private void finish(TaskEntry task, TaskFinished result, Instant now) {
        task.recordResult(result);
        if (result.outcome() == Outcome.SUCCEEDED) {
            task.end(TaskStatus.SUCCESS, now);
            store.put(task);
            emit(task, now);
            counters.tasksSucceeded.incrementAndGet();
            RunEntry run = taskEnded(task.runId(), false, now);
            for (String dependentName : task.dependents()) {
                TaskEntry dependent = store.task(task.runId(), dependentName);
                if (dependent.dependencySucceeded()) {
                    dispatch(dependent, now, run); // one run read for a whole fan-out, not one per dependent
                } else {
                    store.put(dependent);
                }
            }
            return;
        }
        if (task.hasRetriesLeft()) {
            Duration backoff = jitter(task.scheduleRetry());
            store.put(task);
            emit(task, now);
            store.schedule(new Timer(now.plus(backoff), TimerKind.RETRY, task.currentAttempt()));
            counters.retries.incrementAndGet();
            return;
        }
        task.end(result.outcome() == Outcome.TIMED_OUT ? TaskStatus.TIMED_OUT : TaskStatus.FAILED, now);
        store.put(task);
        emit(task, now);
        counters.tasksFailed.incrementAndGet();
        taskEnded(task.runId(), true, now);
        failDownstream(task, now);
    }

    /** Every task that (transitively) depends on {@code failed} can never run: UPSTREAM_FAILED. */
    private void failDownstream(TaskEntry failed, Instant now) {
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
                    taskEnded(current.runId(), true, now);
                    frontier.add(dependent);
                }
            }
        }
    }

    private void checkLease(TaskEntry task, Instant now) {
        if (now.isBefore(task.leaseExpiresAt())) {
            store.schedule(new Timer(task.leaseExpiresAt(), TimerKind.LEASE, task.currentAttempt()));
            return;
        }
        counters.lostAttempts.incrementAndGet();
        LOG.log(Level.WARNING, "attempt {0} on worker {1}: no heartbeat since {2}; dispatching a new attempt",
                task.currentAttempt(), task.workerId(), task.leaseExpiresAt().minus(lease));
        task.lost("attempt " + task.attempt() + " lost: worker " + task.workerId() + " stopped sending heartbeats");
        output.cancel(new TaskCancelRequested(1, task.currentAttempt().toString(), now, "lease expired"));
        dispatch(task, now);
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
            if (task.status() == TaskStatus.QUEUED || task.status() == TaskStatus.RUNNING) {
                output.cancel(new TaskCancelRequested(1, task.currentAttempt().toString(), now, reason));
            }
            task.failWith(reason);
            task.end(TaskStatus.CANCELLED, now);
            store.put(task);
            emit(task, now);
            cancelled++;
        }
        // the run entry last: a reader that sees the run ended also sees every task ended
        store.put(run.cancelled(cancelled, now));
        output.event(RunEvent.ofRun(run.runId(), now, RunStatus.CANCELLED.name()));
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
        java.util.Map<String, TaskEntry> byName = new java.util.HashMap<>();
        tasks.forEach(t -> byName.put(t.name(), t));
        java.util.Set<String> again = new java.util.LinkedHashSet<>();
        for (TaskEntry task : tasks) {
            boolean chosen = retry.task() == null || retry.task().equals(task.name());
            if (chosen && task.status() != TaskStatus.SUCCESS) {
                again.add(task.name());
            }
        }
        // whatever the chosen tasks blocked must run again too
        java.util.Deque<String> frontier = new ArrayDeque<>(again);
        while (!frontier.isEmpty()) {
            for (String dependent : byName.get(frontier.poll()).dependents()) {
                if (byName.get(dependent).status() != TaskStatus.SUCCESS && again.add(dependent)) {
                    frontier.add(dependent);
                }
            }
        }
        if (again.isEmpty()) {
            return;
        }
        int failures = 0;
        for (String name : again) {
            TaskEntry task = byName.get(name);
            failures += task.status().isFailure() ? 1 : 0;
            int unfinished = (int) task.spec().dependencies().stream()
                    .filter(dep -> byName.get(dep).status() != TaskStatus.SUCCESS).count();
            task.resetForRetry(unfinished);
        }
        store.put(run.reopened(again.size(), failures));
        output.event(RunEvent.ofRun(run.runId(), now, RunStatus.RUNNING.name()));
        for (String name : again) {
            TaskEntry task = byName.get(name);
            if (task.isReady()) {
                dispatch(task, now);
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

    private RunEntry taskEnded(String runId, boolean failed, Instant now) {
        RunEntry before = store.run(runId);
        RunEntry after = before.taskEnded(failed, now);
        store.put(after);
        if (after.status() != before.status()) {
            output.event(RunEvent.ofRun(runId, now, after.status().name()));
        }
        return after;
    }

    private Duration jitter(Duration backoff) {
        long millis = backoff.toMillis();
        long spread = Math.round(millis * JITTER);
        return spread == 0 ? backoff : Duration.ofMillis(millis - spread + random.nextLong(2 * spread + 1));
    }
}
