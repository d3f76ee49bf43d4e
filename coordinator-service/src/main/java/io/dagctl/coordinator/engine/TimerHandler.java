package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.coordinator.timer.TimerKind;
import io.dagctl.core.model.TaskStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * Acts on one due timer: a retry's backoff is over, a queued attempt did not start in time, a running attempt passed
 * its lease or its timeout, a task has more dependents to tell, a run's sweep has another batch. A timer whose attempt
 * is no longer current finds nothing to do.
 */
final class TimerHandler {

    /** While the partition is this far behind, a heartbeat sent before the lease ran out may still be on its way. */
    private static final Duration LAG_WORTH_WAITING_FOR = Duration.ofSeconds(1);

    private final RunWriter writer;
    private final AttemptEnds ends;
    private final RunSweeps sweeps;
    private final RunStateStore store;
    private final Duration timeoutGrace;
    private final Duration lease;
    private final LagProbe lag;

    TimerHandler(RunWriter writer, AttemptEnds ends, RunSweeps sweeps, LagProbe lag) {
        this.writer = writer;
        this.ends = ends;
        this.sweeps = sweeps;
        this.store = writer.store();
        this.timeoutGrace = writer.timing().timeoutGrace();
        this.lease = writer.timing().lease();
        this.lag = lag;
    }

    void fire(Timer timer, Instant now) {
        switch (timer.kind().level()) {
            case RUN -> {
                RunEntry run = store.run(timer.runId());
                if (run != null && timer.kind() == TimerKind.LIMIT) {
                    writer.letGoHeld(run, now);
                } else if (run != null) {
                    sweeps.step(run, now);
                }
            }
            case TASK -> {
                TaskEntry task = store.task(timer.runId(), timer.task());
                if (task != null) {
                    ends.tellDependents(task, store.run(task.runId()), now);
                }
            }
            case ATTEMPT -> {
                TaskEntry task = store.task(timer.runId(), timer.task());
                if (task != null && task.attempt() == timer.attempt().attempt()) {
                    fireForAttempt(timer.kind(), task, now);
                }
            }
        }
    }

    private void fireForAttempt(TimerKind kind, TaskEntry task, Instant now) {
        switch (kind) {
            case RETRY -> {
                if (task.status() == TaskStatus.RETRYING) {
                    ends.retryDue(task, now);
                }
            }
            case START -> {
                if (task.status() == TaskStatus.QUEUED) {
                    ends.notStartedInTime(task, now);
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
                    ends.timedOut(task, now);
                }
            }
            default -> throw new IllegalStateException(kind + " is not a timer of an attempt");
        }
    }

    /**
     * A running attempt's timer fired: past its timeout it ends TIMED_OUT; past its lease it is lost and dispatched
     * again; otherwise (heartbeats moved the lease) the timer is set again for whichever deadline comes first. A lease
     * is not judged while this partition's results are processed late (a backlog): the heartbeat that would have kept
     * it may be waiting in that backlog, so the timer comes back once the backlog had a chance to clear.
     */
    private void checkDeadlines(TaskEntry task, Instant now) {
        Instant timeoutAt = timeoutDeadline(task, timeoutGrace);
        if (!now.isBefore(timeoutAt)) {
            ends.timedOut(task, now);
            return;
        }
        if (now.isBefore(task.current().leaseExpiresAt())) {
            writer.schedule(Timer.of(
                    earlier(task.current().leaseExpiresAt(), timeoutAt), TimerKind.LEASE, task.currentAttempt()));
            return;
        }
        // believed up to one lease: a clock that is off, or a backlog that never clears, delays a lost attempt's
        // detection by one lease at most, from when the lease ran out or, if later, from when this instance began
        // reading the partition (after a failover the heartbeats sent meanwhile are all in the backlog)
        Duration behind = lag.behind(now);
        Duration believed = behind.compareTo(lease) < 0 ? behind : lease;
        Instant judgedFrom = later(task.current().leaseExpiresAt(), lag.readingSince());
        if (behind.compareTo(LAG_WORTH_WAITING_FOR) >= 0 && now.isBefore(judgedFrom.plus(believed))) {
            writer.schedule(Timer.of(earlier(now.plus(believed), timeoutAt), TimerKind.LEASE, task.currentAttempt()));
            return;
        }
        ends.lost(task, now);
    }

    /** When a running attempt's worker must have reported by: its timeout plus the grace, from its start. */
    static Instant timeoutDeadline(TaskEntry task, Duration timeoutGrace) {
        Instant reportDue = task.current().reportDueAt();
        return reportDue != null
                ? reportDue
                : task.current().startedAt().plus(task.spec().timeout()).plus(timeoutGrace);
    }

    static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    static Instant later(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
