package io.dagctl.worker.consume;

import io.dagctl.core.event.TaskDispatched;
import java.time.Instant;

/**
 * Runs the attempts the poll loop takes, on the calling thread, and tells the loop when the attempt's slot is free
 * again and when the attempt is <em>covered</em>: the coordinator watches it without this worker's help, because its
 * start (or, failing that, its result) is in Kafka. Only then may its record's offset be committed past.
 */
public interface AttemptLauncher {

    /** A noop attempt: done at once, without a process or a slot; covered once its result is in Kafka. */
    void runNoop(TaskDispatched task, String traceparent, Runnable covered);

    /**
     * An attempt in a slot free since {@code slotFreeSince}. An attempt stopped at shutdown is reported as released,
     * so that its coordinator runs it again elsewhere at once.
     */
    void run(TaskDispatched task, String traceparent, Instant slotFreeSince, Runnable slotFree, Runnable covered);
}
