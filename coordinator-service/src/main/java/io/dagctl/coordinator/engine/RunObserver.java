package io.dagctl.coordinator.engine;

import io.dagctl.core.model.AttemptId;
import java.time.Duration;
import java.time.Instant;

/**
 * Told of every transition the state machine makes, on the stream thread, and asked for the trace context a new run
 * or attempt carries. Metrics and traces implement it; the state machine knows neither.
 * A transition applied in a transaction that later aborts is replayed, so an observer may hear it twice; one heard
 * while handling a record that is then refused (its writes too large, or a bug) is not written at all.
 */
public interface RunObserver {

    /** The W3C traceparent of a new run's root span, kept in the run's state; null when not traced. */
    default String newRunTraceparent(String runId, String dag) {
        return null;
    }

    /** The traceparent an attempt's dispatch carries: the attempt span, child of the run's current root. */
    default String attemptTraceparent(RunEntry run, AttemptId attempt) {
        return null;
    }

    default void runStarted(RunEntry run) {}

    default void runEnded(RunEntry run) {}

    default void taskDispatched(RunEntry run, TaskEntry task) {}

    /** A worker started the attempt, {@code dispatchLatency} after the task became ready. */
    default void taskStarted(TaskEntry task, Duration dispatchLatency) {}

    /** The current attempt of {@code task} is over; the task may still run again. */
    default void attemptEnded(RunEntry run, TaskEntry task, AttemptEnd end, Instant at) {}

    /** The task reached a terminal status. */
    default void taskEnded(RunEntry run, TaskEntry task) {}

    /** A heartbeat of a running attempt renewed its lease. */
    default void heartbeat(AttemptId attempt) {}

    default void retryScheduled(RunEntry run, TaskEntry task, Duration backoff) {}

    default void zombieReport(AttemptId attempt) {}

    default void deadLetter(String sourceTopic) {}

    /**
     * A stored DAG's schedule tick was handled: {@code fired}, {@code caught_up} (run though missed),
     * {@code missed} (not run: catchup), {@code skipped_overlap}, {@code queued} or {@code failed}; {@code lag} from the
     * tick to now.
     */
    default void scheduleTick(String outcome, Duration lag) {}

    /** Schedule ticks dropped by {@code catchup} (at most 1,000 counted per pass). */
    default void scheduleTicksMissed(int count) {}

    /** A scheduled run started at its run's owner (entries written, roots dispatched), this long after its tick. */
    default void scheduledRunStarted(Duration sinceTick) {}

    /** How an attempt ended. */
    enum AttemptEnd {
        SUCCEEDED,
        FAILED,
        TIMED_OUT,
        LOST,
        /** A worker gave the attempt back when it shut down. */
        RELEASED,
        NOT_STARTED,
        CANCELLED;

        public boolean isFailure() {
            return this != SUCCEEDED;
        }
    }
}
