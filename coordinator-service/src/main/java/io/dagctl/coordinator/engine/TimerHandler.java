package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.coordinator.timer.TimerKind;
import io.dagctl.core.model.TaskStatus;
import java.time.Duration;
import java.time.Instant;

/**
 * Fires the timers that are due: a retry's backoff is over, a queued attempt did not start in time, a running attempt
 * passed its lease or its timeout, a wide fan-out has another batch to release. A timer whose attempt is no longer
 * current finds nothing to do.
 */
final class TimerHandler {

    private final RunWriter writer;
    private final AttemptEnds ends;
    private final RunStateStore store;
    private final Duration timeoutGrace;

    TimerHandler(RunWriter writer, AttemptEnds ends) {
        this.writer = writer;
        this.ends = ends;
        this.store = writer.store();
        this.timeoutGrace = writer.timing().timeoutGrace();
    }

    void fireDue() {
        Instant now = writer.now();
        for (Timer timer : store.takeDue(now)) {
            TaskEntry task = store.task(timer.attempt().runId(), timer.attempt().task());
            if (task != null && task.attempt() == timer.attempt().attempt()) {
                fire(timer.kind(), task, now);
            }
        }
    }

    private void fire(TimerKind kind, TaskEntry task, Instant now) {
        switch (kind) {
            case RETRY -> {
                if (task.status() == TaskStatus.RETRYING) {
                    writer.dispatch(task, store.run(task.runId()), now);
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
            case RELEASE -> {
                if (task.status() == TaskStatus.SUCCESS) {
                    ends.releaseDependents(task, store.run(task.runId()), now);
                }
            }
        }
    }

    /**
     * A running attempt's timer fired: past its timeout it ends TIMED_OUT; past its lease it is lost and dispatched
     * again; otherwise (heartbeats moved the lease) the timer is set again for whichever deadline comes first.
     */
    private void checkDeadlines(TaskEntry task, Instant now) {
        Instant timeoutAt = timeoutDeadline(task, timeoutGrace);
        if (!now.isBefore(timeoutAt)) {
            ends.timedOut(task, now);
            return;
        }
        if (now.isBefore(task.leaseExpiresAt())) {
            writer.schedule(
                    new Timer(earlier(task.leaseExpiresAt(), timeoutAt), TimerKind.LEASE, task.currentAttempt()));
            return;
        }
        ends.lost(task, now);
    }

    /** When a running attempt's worker must have reported by: its timeout plus the grace, from its start. */
    static Instant timeoutDeadline(TaskEntry task, Duration timeoutGrace) {
        return task.reportDueAt() != null
                ? task.reportDueAt()
                : task.startedAt().plus(task.spec().timeout()).plus(timeoutGrace);
    }

    static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }
}
