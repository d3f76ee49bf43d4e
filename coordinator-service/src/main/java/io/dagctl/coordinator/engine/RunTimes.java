package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import java.time.Duration;
import java.time.Instant;

/**
 * When a run ran: its first start (none while it waits QUEUED), the start of its current round (each retry of the
 * finished run is one more), and its end. Stored at the run entry's top level, as the fields were before this class.
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class RunTimes {

    private Instant startedAt;
    private Instant endedAt;
    /** How many times the run was started: 1, plus one for each retry of the finished run. */
    private int rounds = 1;

    private Instant roundStartedAt;

    Instant startedAt() {
        return startedAt;
    }

    Instant endedAt() {
        return endedAt;
    }

    int rounds() {
        return rounds;
    }

    Instant roundStartedAt() {
        return roundStartedAt;
    }

    /** It starts now (null: not yet, it waits QUEUED). */
    void started(Instant at) {
        startedAt = at;
        roundStartedAt = at;
    }

    void ended(Instant at) {
        endedAt = at;
    }

    /** A retry of the finished run starts another round. */
    void nextRound(Instant at) {
        if (startedAt == null) {
            startedAt = at; // cancelled while it waited QUEUED: this is its first start
        }
        rounds++;
        roundStartedAt = at;
        endedAt = null;
    }

    /** From its start to its end in milliseconds, or null: not ended, or ended before it started (cancelled QUEUED). */
    Long ranFor() {
        return endedAt != null && startedAt != null
                ? Duration.between(startedAt, endedAt).toMillis()
                : null;
    }
}
