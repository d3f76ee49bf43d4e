package io.dagctl.worker.consume;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Since when each free slot has been free, oldest first. An attempt started now takes the slot free the longest; the
 * instant it could have started is the later of that and its dispatch, which makes the slot hand-off latency leave out
 * the time it waited only because every slot was busy. Used by the poll loop's thread alone.
 */
final class FreeSlots {

    private final Deque<Instant> freeSince = new ArrayDeque<>();

    FreeSlots(int slots, Instant now) {
        for (int i = 0; i < slots; i++) {
            freeSince.add(now);
        }
    }

    /**
     * A slot is taken for an attempt: since when it was free. Null if none is recorded, which cannot happen while the
     * poll loop takes a slot only below its busy count; a metric is not worth stopping the loop for.
     */
    Instant take() {
        return freeSince.poll();
    }

    /** A slot became free at {@code at}. */
    void freed(Instant at) {
        freeSince.add(at);
    }
}
