package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CommitPacerTest {

    private static final long MS = 1_000_000L;
    private static final Duration INTERVAL = Duration.ofMillis(100);

    @Test
    void aLoneDispatchIsCommittedAtOnce() {
        CommitPacer pacer = new CommitPacer(Duration.ofMillis(20), INTERVAL, 0);
        assertTrue(pacer.urgentOutput(1 * MS, 3));
        assertTrue(pacer.urgentOutput(40 * MS, 3), "the next hop of a chain, later than the gap");
    }

    @Test
    void dispatchesInsideTheGapRideTheRegularCommit() {
        CommitPacer pacer = new CommitPacer(Duration.ofMillis(20), INTERVAL, 0);
        assertTrue(pacer.urgentOutput(100 * MS, 0));
        assertFalse(pacer.urgentOutput(101 * MS, 0));
        assertFalse(pacer.urgentOutput(119 * MS, 0));
        assertTrue(pacer.urgentOutput(120 * MS, 0));
    }

    @Test
    void outputOfABacklogWaitsForTheRegularCommit() {
        CommitPacer pacer = new CommitPacer(Duration.ofMillis(5), INTERVAL, 0);
        assertFalse(pacer.urgentOutput(100 * MS, 2_000), "its record waited two seconds: others wait behind it");
        assertFalse(pacer.urgentOutput(200 * MS, 101));
        assertTrue(pacer.urgentOutput(300 * MS, 100), "caught up: a record that waited one interval or less");
    }
}
