package io.dagctl.core.model;

/** The state of a DAG run. */
public enum RunStatus {
    /**
     * Waits for a place under its DAG's {@code max_active_runs}: its tasks are written, none is dispatched until the
     * DAG's owner lets it start.
     */
    QUEUED,
    PENDING,
    RUNNING,
    /** Cancel was asked for; unfinished tasks are being stopped (in batches, for a large run). */
    CANCELLING,
    SUCCESS,
    FAILED,
    CANCELLED;

    public boolean isTerminal() {
        return this == SUCCESS || this == FAILED || this == CANCELLED;
    }
}
