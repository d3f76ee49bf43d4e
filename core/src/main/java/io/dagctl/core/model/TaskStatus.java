package io.dagctl.core.model;

/** The state of one task of a run; see the state machine in docs/architecture.md. */
public enum TaskStatus {
    PENDING,
    QUEUED,
    RUNNING,
    RETRYING,
    SUCCESS,
    FAILED,
    TIMED_OUT,
    UPSTREAM_FAILED,
    CANCELLED,
    /** Not run, and not a failure: its trigger rule or its {@code when:} condition said so, or its list was empty. */
    SKIPPED;

    public boolean isTerminal() {
        return switch (this) {
            case SUCCESS, FAILED, TIMED_OUT, UPSTREAM_FAILED, CANCELLED, SKIPPED -> true;
            default -> false;
        };
    }

    public boolean isFailure() {
        return this == FAILED || this == TIMED_OUT || this == UPSTREAM_FAILED;
    }
}
