package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommitPacerTest {

    private static final long MS = 1_000_000L;

    @Test
    void aLoneDispatchIsCommittedAtOnce() {
        CommitPacer pacer = new CommitPacer(Duration.ofMillis(20), 0);
        assertTrue(pacer.urgentOutput(1 * MS));
        assertTrue(pacer.urgentOutput(40 * MS), "the next hop of a chain, later than the gap");
    }

    @Test
    void dispatchesInsideTheGapRideTheRegularCommit() {
        CommitPacer pacer = new CommitPacer(Duration.ofMillis(20), 0);
        assertTrue(pacer.urgentOutput(100 * MS));
        assertFalse(pacer.urgentOutput(101 * MS));
        assertFalse(pacer.urgentOutput(119 * MS));
        assertTrue(pacer.urgentOutput(120 * MS));
    }
}
