package io.dagctl.worker.consume;

import io.dagctl.core.event.TaskDispatched;
import java.time.Instant;

/**
 * Runs the attempts the poll loop takes, on the calling thread, and tells the loop when the attempt's slot is free
 * again and when its result is stored in Kafka (only then may its record's offset be committed).
 */
public interface AttemptLauncher {

    /** A noop attempt: done at once, without a process or a slot. */
    void runNoop(TaskDispatched task, String traceparent, Runnable resultStored);

    /**
     * An attempt in a slot free since {@code slotFreeSince}; {@code resultStored} is not called for an attempt
     * abandoned at shutdown.
     */
    void run(TaskDispatched task, String traceparent, Instant slotFreeSince, Runnable slotFree, Runnable resultStored);
}
