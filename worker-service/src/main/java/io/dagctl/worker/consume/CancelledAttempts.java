package io.dagctl.worker.consume;

/** Whether the coordinator told the workers to stop an attempt (so that a dispatch of it arriving later is skipped). */
public interface CancelledAttempts {

    boolean wasCancelled(String attemptId);
}
