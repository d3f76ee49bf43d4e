package io.dagctl.core.model;

/** The state of a DAG run. */
public enum RunStatus {
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
