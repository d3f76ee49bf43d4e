package io.dagctl.coordinator.timer;

/** Why the coordinator must act on an attempt, or a run, at a given time. */
public enum TimerKind {
    /** The backoff before the next attempt of a failed (or not started) task is over. */
    RETRY,
    /** A queued attempt may not have started by its start deadline (its dispatch record is stuck somewhere). */
    START,
    /**
     * A running attempt may have passed its lease without a heartbeat, or its timeout (plus grace) without a report:
     * one timer, due at whichever comes first.
     */
    LEASE,
    /** A running attempt is past its timeout (plus grace); only in stores written before LEASE covered it. */
    TIMEOUT,
    /**
     * A task that ended has more dependents to tell than one transaction takes: a success releases them, a failure
     * marks them UPSTREAM_FAILED; the next batch goes now.
     */
    RELEASE,
    /** A run's sweep (dispatch, reset or cancel of its tasks) has another batch to go. */
    SWEEP,
    /** A run with held tasks had places freed by a unit that let none go (it recorded a fault): let them go now. */
    LIMIT;

    /** What a timer of this kind is about, and so what its target names. */
    public enum Level {
        /** An attempt: {@code run/task/attempt}; a later attempt of the task makes the timer moot. */
        ATTEMPT,
        /** A task: {@code run/task}. */
        TASK,
        /** A run: its id. */
        RUN
    }

    public Level level() {
        return switch (this) {
            case RELEASE -> Level.TASK;
            case SWEEP, LIMIT -> Level.RUN;
            default -> Level.ATTEMPT;
        };
    }
}
