package io.dagctl.coordinator.timer;

/** Why the coordinator must act on an attempt at a given time. */
public enum TimerKind {
    /** The backoff before the next attempt of a failed task is over. */
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
    /** A succeeded task has more dependents to release than one transaction takes: release the next batch. */
    RELEASE
}
