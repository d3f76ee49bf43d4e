package io.dagctl.worker.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The commits that hand a dispatch partition from worker to worker, and the marks they carry. */
class OffsetTrackerTest {

    private static final TopicPartition P = new TopicPartition("dagctl.dispatch", 0);

    @Test
    void marksInheritedFromThePreviousOwnerAreCarriedIntoTheNextCommitUntilReadPast() {
        // A committed 100 and had taken up to 150; of those only 120 was not started
        OffsetTracker b = new OffsetTracker();
        b.inherit(P, ResumeMarks.decode(100, "dagctl1;50;20"));
        for (long offset = 100; offset <= 130; offset++) {
            if (b.shouldRun(P, offset)) {
                b.taken(P, offset);
            } else {
                b.skipped(P, offset);
            }
        }
        b.covered(P, 120);
        OffsetAndMetadata handover = b.handover(List.of(P)).get(P);
        assertEquals(150, handover.offset(), "131 to 149, not read by B yet, were started by A: C must not run them");
        assertTrue(ResumeMarks.decode(handover.offset(), handover.metadata()).shouldRun(150), "A never took 150");
    }

    @Test
    void aRecordNotYetReadThatThePreviousOwnerDidNotStartStaysMarkedToRun() {
        OffsetTracker b = new OffsetTracker();
        b.inherit(P, ResumeMarks.decode(10, "dagctl1;10;5"));
        for (long offset = 10; offset < 13; offset++) {
            b.skipped(P, offset);
        }
        OffsetAndMetadata handover = b.handover(List.of(P)).get(P);
        assertEquals(15, handover.offset(), "13 and 14 ran on the first owner; 15 did not");
        ResumeMarks forC = ResumeMarks.decode(handover.offset(), handover.metadata());
        assertTrue(forC.shouldRun(15));
        assertFalse(forC.shouldRun(16));
        assertTrue(forC.shouldRun(20));
    }

    @Test
    void aRecordGivenToASlotCountsAsCoveredWhenThePartitionIsHandedOver() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.taken(P, 0);
        tracker.taken(P, 1);
        tracker.handed(P, 0);
        assertTrue(tracker.anyHanded(List.of(P)));
        Map<TopicPartition, OffsetAndMetadata> routine = tracker.takeCommittable();
        assertEquals(0, routine.get(P).offset(), "a routine commit waits for the start report");
        OffsetAndMetadata handover = tracker.handover(List.of(P)).get(P);
        assertEquals(1, handover.offset(), "it runs here: the next owner must not run it again");
        assertEquals("dagctl1;1;0", handover.metadata(), "1 was not started: the next owner runs it");
        tracker.covered(P, 0);
        assertFalse(tracker.anyHanded(List.of(P)));
    }

    @Test
    void aPositionWhoseCommitFailedIsOfferedAgainThoughNothingMoved() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.taken(P, 0);
        tracker.covered(P, 0);
        Map<TopicPartition, OffsetAndMetadata> first = tracker.takeCommittable();
        assertEquals(1, first.get(P).offset());
        assertTrue(tracker.takeCommittable().isEmpty(), "committed, and nothing moved");
        tracker.commitFailed(first); // say, a rebalance was under way
        assertEquals(first, tracker.takeCommittable(), "a failed commit is not taken for done");
        assertTrue(tracker.takeCommittable().isEmpty());
    }

    @Test
    void aFailedCommitOfAnOlderPositionDoesNotHideTheNewerOne() {
        OffsetTracker tracker = new OffsetTracker();
        tracker.taken(P, 0);
        tracker.covered(P, 0);
        Map<TopicPartition, OffsetAndMetadata> older = tracker.takeCommittable();
        tracker.taken(P, 1);
        tracker.covered(P, 1);
        Map<TopicPartition, OffsetAndMetadata> newer = tracker.takeCommittable();
        tracker.commitFailed(older);
        assertTrue(tracker.takeCommittable().isEmpty(), "the newer position is in flight; the older one is past");
        tracker.commitFailed(newer);
        assertEquals(2, tracker.takeCommittable().get(P).offset());
    }

    @Test
    void marksThatThisWorkerDidNotWriteMeanNothingIsKnown() {
        for (String metadata : List.of("dagctl1;5;0-9000000000000000000", "dagctl1;5;7", "dagctl1;-3;", "x;1;1")) {
            ResumeMarks marks = ResumeMarks.decode(40, metadata);
            assertEquals(40, marks.end(), metadata);
            assertEquals(new TreeSet<Long>(), marks.uncovered(), metadata);
        }
    }
}
