package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;

/**
 * How many attempts a task has had and what they used up: the current attempt's number, the retries its failures used,
 * the attempts lost (worker gone, never started in time), and the attempts in a row a worker could not start. Stored at
 * the task entry's top level.
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class AttemptCounts {

    private int attempt;
    private int retriesUsed;
    private int lostAttempts;
    /**
     * Attempts in a row that a worker could not start (no interpreter, no work directory); reset by a start, or by the
     * result of an attempt that ran and ended before its start was reported.
     */
    private int notStartedInARow;

    int attempt() {
        return attempt;
    }

    /** The number of the attempt that starts now. */
    int next() {
        return ++attempt;
    }

    boolean hasRetriesLeft(int maxRetries) {
        return retriesUsed < maxRetries;
    }

    /** A failure uses a retry; returns how many are used now. */
    int useRetry() {
        return ++retriesUsed;
    }

    /** A worker could not start the attempt; returns how many in a row could not be started now. */
    int notStarted() {
        return ++notStartedInARow;
    }

    int notStartedInARow() {
        return notStartedInARow;
    }

    /** The attempt ran: a worker could start it. */
    void ran() {
        notStartedInARow = 0;
    }

    void lost() {
        lostAttempts++;
    }

    /** The task runs again in a retried run: its retries are restored. */
    void restore() {
        retriesUsed = 0;
        notStartedInARow = 0;
    }
}
