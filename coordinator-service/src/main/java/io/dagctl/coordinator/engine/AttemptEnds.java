package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.coordinator.timer.TimerKind;
import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;

/**
 * What follows the end of an attempt, whoever saw it end (its worker's report, or the coordinator's own timers): a
 * success releases the task's dependents, a failure retries or fails the task and what depends on it, a silent,
 * released or unstarted attempt is replaced by a new one. Fan-outs and cascades take from the unit's
 * {@link WorkBudget} and leave what does not fit to a {@link TimerKind#RELEASE} timer.
 */
final class AttemptEnds {

    private static final double JITTER = 0.10;

    private final RunWriter writer;
    private final RunStateStore store;
    private final RunObserver observer;
    private final RandomGenerator random;
    private final int notStartedLimit;
    private final Downstream downstream;

    AttemptEnds(RunWriter writer, Downstream downstream, RandomGenerator random, CoordinatorConfig.Limits limits) {
        this.downstream = downstream;
        this.writer = writer;
        this.store = writer.store();
        this.observer = writer.observer();
        this.random = random;
        this.notStartedLimit = limits.notStartedLimit();
    }

    /** Applies the result of the task's current attempt. */
    void finish(TaskEntry task, TaskFinished result, Instant now) {
        RunEntry run = store.run(task.runId());
        if (task.status() == TaskStatus.QUEUED
                && result.startedAt() != null
                && result.outcome() != Outcome.NOT_STARTED
                && result.outcome() != Outcome.RELEASED) {
            // a result straight from QUEUED: a noop, or an attempt that ended within its worker's start-report delay
            observer.taskStarted(
                    task, nonNegative(Duration.between(task.current().queuedAt(), result.startedAt())));
        }
        switch (result.outcome()) {
            case RELEASED -> released(task, run, result, now);
            case NOT_STARTED -> notStarted(task, run, result, now);
            default -> ranToItsEnd(task, run, result, now);
        }
    }

    private void ranToItsEnd(TaskEntry task, RunEntry run, TaskFinished result, Instant now) {
        task.recordResult(result);
        if (result.outcome() == Outcome.SUCCEEDED) {
            task.succeeded(now);
            writer.save(task, now);
            observer.attemptEnded(run, task, RunObserver.AttemptEnd.SUCCEEDED, now);
            writer.taskEnded(run, task, now);
            tellDependents(task, run, now);
            return;
        }
        RunObserver.AttemptEnd end = result.outcome() == Outcome.TIMED_OUT
                ? RunObserver.AttemptEnd.TIMED_OUT
                : RunObserver.AttemptEnd.FAILED;
        if (task.counts().hasRetriesLeft(task.spec().maxRetries())) {
            Duration backoff = jitter(task.scheduleRetry());
            writer.save(task, now);
            writer.schedule(Timer.of(now.plus(backoff), TimerKind.RETRY, task.currentAttempt()));
            observer.attemptEnded(run, task, end, now);
            observer.retryScheduled(run, task, backoff);
            return;
        }
        task.failedFinally(result.outcome() == Outcome.TIMED_OUT ? TaskStatus.TIMED_OUT : TaskStatus.FAILED, now);
        writer.save(task, now);
        observer.attemptEnded(run, task, end, now);
        writer.taskEnded(run, task, now);
        tellDependents(task, run, now);
    }

    /**
     * A worker could not start the attempt (its interpreter is missing, its work directory cannot be made). That is
     * the worker's fault, not the task's: no retry is used, and the task tries again after a backoff, probably on
     * another worker; after {@code notStartedLimit} such attempts in a row it fails, saying why.
     */
    private void notStarted(TaskEntry task, RunEntry run, TaskFinished result, Instant now) {
        task.recordResult(result);
        observer.attemptEnded(run, task, RunObserver.AttemptEnd.NOT_STARTED, now);
        if (task.counts().notStartedInARow() + 1 >= notStartedLimit) {
            task.failedFinally(TaskStatus.FAILED, now);
            writer.save(task, now);
            writer.logTask(
                    Level.WARNING,
                    task,
                    "{0} could not be started {1} times in a row; the task fails: {2}",
                    task.currentAttempt(),
                    notStartedLimit,
                    result.error());
            writer.taskEnded(run, task, now);
            tellDependents(task, run, now);
            return;
        }
        Duration backoff = jitter(task.notStarted());
        writer.save(task, now);
        writer.schedule(Timer.of(now.plus(backoff), TimerKind.RETRY, task.currentAttempt()));
    }

    /** The worker shut down and gave the attempt back: a new attempt goes out at once, without using a retry. */
    private void released(TaskEntry task, RunEntry run, TaskFinished result, Instant now) {
        task.replaced("attempt " + task.attempt() + " released by worker " + result.workerId() + ": " + result.error());
        observer.attemptEnded(run, task, RunObserver.AttemptEnd.RELEASED, now);
        requeue(task, run, now);
    }

    /** The running attempt's worker did not report within its timeout plus the grace: it ends TIMED_OUT. */
    void timedOut(TaskEntry task, Instant now) {
        Duration grace = writer.timing().timeoutGrace();
        finish(
                task,
                TaskFinished.of(
                        task.currentAttempt().toString(),
                        task.current().workerId(),
                        -1,
                        Outcome.TIMED_OUT,
                        null,
                        null,
                        task.current().startedAt(),
                        now,
                        "worker " + task.current().workerId() + " did not report within the timeout plus "
                                + grace.toSeconds() + " s"),
                now);
    }

    /** The running attempt went silent past its lease: it is stopped and a new attempt queued without a retry. */
    void lost(TaskEntry task, Instant now) {
        writer.logTask(
                Level.WARNING,
                task,
                "attempt {0} on worker {1}: no heartbeat since {2}; dispatching a new attempt",
                task.currentAttempt(),
                task.current().workerId(),
                task.current().leaseExpiresAt().minus(writer.timing().lease()));
        writer.stop(task.currentAttempt(), now, "lease expired");
        task.replaced("attempt " + task.attempt() + " lost: worker "
                + task.current().workerId() + " stopped sending heartbeats");
        RunEntry run = store.run(task.runId());
        observer.attemptEnded(run, task, RunObserver.AttemptEnd.LOST, now);
        requeue(task, run, now);
    }

    /** The queued attempt was not started by its deadline: it is stopped and a new attempt queued. */
    void notStartedInTime(TaskEntry task, Instant now) {
        Duration queueTimeout = writer.timing().queueTimeout();
        writer.logTask(
                Level.WARNING,
                task,
                "attempt {0} was not started within {1}; queuing a new attempt",
                task.currentAttempt(),
                queueTimeout);
        writer.stop(task.currentAttempt(), now, "not started in time");
        task.notStartedInTime("attempt " + task.attempt() + " was not started within " + queueTimeout);
        RunEntry run = store.run(task.runId());
        observer.attemptEnded(run, task, RunObserver.AttemptEnd.NOT_STARTED, now);
        requeue(task, run, now);
    }

    /** A retry's backoff is over. */
    void retryDue(TaskEntry task, Instant now) {
        requeue(task, store.run(task.runId()), now);
    }

    /**
     * Sends a new attempt of a task whose last one ended without deciding it, unless its run no longer dispatches:
     * then a cancelled run's task ends CANCELLED here, rather than waiting for the cancel sweep to reach it.
     */
    private void requeue(TaskEntry task, RunEntry run, Instant now) {
        if (run.isDispatching()) {
            writer.dispatch(task, run, now);
        } else if (run.status() == RunStatus.CANCELLING) {
            task.cancelled(run.error() == null ? "cancelled" : run.error(), now);
            writer.save(task, now);
            writer.taskEnded(run, task, now);
        } else {
            writer.update(task);
            writer.logTask(Level.WARNING, task, "not dispatched: run {0} is {1}", run.runId(), run.status());
        }
    }

    /**
     * Something about the task could not be applied (a record about it failed): the task fails with the reason, its
     * live attempt is told to stop, and its dependents cannot run. False when it had already ended (nothing changed).
     */
    boolean faulted(TaskEntry task, String reason, Instant now) {
        if (task.status().isTerminal()) {
            return false;
        }
        if (task.hasLiveAttempt()) {
            writer.stop(task.currentAttempt(), now, reason);
        }
        RunEntry run = store.run(task.runId());
        if (task.isExpanding()) {
            run.instancesDropped(
                    task.mapping().instances().toCreate()); // a mapped task that fails creates no more instances
        }
        task.faulted(reason, now);
        writer.save(task, now);
        writer.taskEnded(run, task, now);
        tellDependents(task, run, now);
        return true;
    }

    /** Tells the dependents of a task that ended; see {@link Downstream}. */
    void tellDependents(TaskEntry task, RunEntry run, Instant now) {
        downstream.tell(task, run, now);
    }

    private Duration jitter(Duration backoff) {
        long millis = backoff.toMillis();
        long spread = Math.round(millis * JITTER);
        return spread == 0 ? backoff : Duration.ofMillis(millis - spread + random.nextLong(2 * spread + 1));
    }

    static Duration nonNegative(Duration latency) {
        return latency.isNegative() ? Duration.ZERO : latency;
    }
}
