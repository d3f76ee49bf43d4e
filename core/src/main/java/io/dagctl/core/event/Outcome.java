package io.dagctl.core.event;

/** How an attempt ended on the worker. */
public enum Outcome {
    /** The process exited 0. */
    SUCCEEDED,
    /** The process exited non-zero. */
    FAILED,
    /** The worker killed the process tree when the task's timeout passed. */
    TIMED_OUT,
    /** The process could not be started (no interpreter, no working directory, ...). */
    NOT_STARTED,
    /**
     * The worker stopped the attempt because it is shutting down and the attempt outlasted its drain grace: run it
     * again elsewhere, without using a retry.
     */
    RELEASED
}
