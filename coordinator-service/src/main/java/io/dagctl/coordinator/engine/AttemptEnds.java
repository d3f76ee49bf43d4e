package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.coordinator.timer.TimerKind;
import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.model.TaskStatus;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * What follows the end of an attempt, whoever saw it end (its worker's report, or the coordinator's own timers): a
 * success releases the task's dependents, a failure retries or fails the task and what depends on it, a silent or
 * unstarted attempt is replaced by a new one.
 */
final class AttemptEnds {

    private static final double JITTER = 0.10;

    private final RunWriter writer;
    private final RunStateStore store;
    private final RunObserver observer;
    private final RandomGenerator random;
    private final int releaseBatch;

    AttemptEnds(RunWriter writer, RandomGenerator random, CoordinatorConfig.Limits limits) {
        this.writer = writer;
        this.store = writer.store();
        this.observer = writer.observer();
        this.random = random;
        this.releaseBatch = limits.releaseBatch();
    }

    /** Applies the result of the task's current attempt. */
    void finish(TaskEntry task, TaskFinished result, Instant now) {
        RunEntry before = store.run(task.runId());
        if (task.status() == TaskStatus.QUEUED
                && result.outcome() != Outcome.NOT_STARTED
                && result.startedAt() != null) {
            // a result straight from QUEUED: a noop task, which a worker completes without a start report
            observer.taskStarted(task, nonNegative(Duration.between(task.queuedAt(), result.startedAt())));
        }
        task.recordResult(result);
        if (result.outcome() == Outcome.SUCCEEDED) {
            task.succeeded(now);
            writer.save(task, now);
            observer.attemptEnded(before, task, RunObserver.AttemptEnd.SUCCEEDED, now);
            RunEntry run = writer.taskEnded(before, task, now);
            releaseDependents(task, run, now);
            return;
        }
        RunObserver.AttemptEnd end = result.outcome() == Outcome.TIMED_OUT
                ? RunObserver.AttemptEnd.TIMED_OUT
                : RunObserver.AttemptEnd.FAILED;
        if (task.hasRetriesLeft()) {
            Duration backoff = jitter(task.scheduleRetry());
            writer.save(task, now);
            writer.schedule(new Timer(now.plus(backoff), TimerKind.RETRY, task.currentAttempt()));
            observer.attemptEnded(before, task, end, now);
            observer.retryScheduled(before, task, backoff);
            return;
        }
        task.failedFinally(result.outcome() == Outcome.TIMED_OUT ? TaskStatus.TIMED_OUT : TaskStatus.FAILED, now);
        writer.save(task, now);
        observer.attemptEnded(before, task, end, now);
        RunEntry after = writer.taskEnded(before, task, now);
        failDownstream(after, task, now);
    }

    /** The running attempt's worker did not report within its timeout plus the grace: it ends TIMED_OUT. */
    void timedOut(TaskEntry task, Instant now) {
        Duration grace = writer.timing().timeoutGrace();
        finish(
                task,
                TaskFinished.of(
                        task.currentAttempt().toString(),
                        task.workerId(),
                        -1,
                        Outcome.TIMED_OUT,
                        null,
                        null,
                        task.startedAt(),
                        now,
                        "worker " + task.workerId() + " did not report within the timeout plus " + grace.toSeconds()
                                + " s"),
                now);
    }

    /** The running attempt went silent past its lease: it is stopped and a new attempt queued without using a retry. */
    void lost(TaskEntry task, Instant now) {
        writer.logTask(
                Level.WARNING,
                task,
                "attempt {0} on worker {1}: no heartbeat since {2}; dispatching a new attempt",
                task.currentAttempt(),
                task.workerId(),
                task.leaseExpiresAt().minus(writer.timing().lease()));
        task.lost("attempt " + task.attempt() + " lost: worker " + task.workerId() + " stopped sending heartbeats");
        writer.stop(task.currentAttempt(), now, "lease expired");
        RunEntry run = store.run(task.runId());
        observer.attemptEnded(run, task, RunObserver.AttemptEnd.LOST, now);
        writer.dispatch(task, run, now);
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
        writer.dispatch(task, run, now);
    }

    /**
     * Tells the dependents of a succeeded task, at most {@code releaseBatch} of them per transaction, and dispatches
     * those it made ready. A larger fan-out keeps its place in the task entry and goes on at the next timer tick, in
     * a transaction of its own: in one, 100,000 dispatches outlast the transaction timeout on a cold JVM, the broker
     * aborts the transaction, and the same work is tried again and again.
     */
    void releaseDependents(TaskEntry task, RunEntry run, Instant now) {
        List<String> dependents = task.dependents();
        int from = task.dependentsReleased();
        if (from >= dependents.size() || run.status().isTerminal()) {
            return;
        }
        int to = Math.min(dependents.size(), from + releaseBatch);
        for (String dependentName : dependents.subList(from, to)) {
            TaskEntry dependent = store.task(task.runId(), dependentName);
            if (dependent.dependencySucceeded()) {
                writer.dispatch(dependent, run, now); // one run read for a whole fan-out, not one per dependent
            } else {
                writer.update(dependent);
            }
        }
        boolean batched = from > 0 || to < dependents.size();
        if (batched) {
            // the position goes with the batch it ends, so a batch is never released twice
            task.dependentsReleasedUpTo(to);
            writer.update(task);
        }
        if (to < dependents.size()) {
            writer.schedule(new Timer(now, TimerKind.RELEASE, task.currentAttempt()));
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
                    writer.save(dependent, now);
                    run = writer.taskEnded(run, dependent, now);
                    frontier.add(dependent);
                }
            }
        }
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
