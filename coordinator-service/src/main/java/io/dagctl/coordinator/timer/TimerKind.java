package io.dagctl.coordinator.timer;

/** Why the coordinator must act on an attempt at a given time. */
public enum TimerKind {
    /** The backoff before the next attempt of a failed task is over. */
    RETRY,
    /** A queued attempt may not have started by its start deadline (its dispatch record is stuck somewhere). */
    START,
    /** A running attempt's lease may have passed without a heartbeat. */
    LEASE,
    /** A running attempt is past its timeout (plus grace) and its worker has not reported. */
    TIMEOUT
}
