package io.dagctl.worker.consume;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The worker's slots: how many are busy, and since when each free one has been free, oldest first. An attempt started
 * now takes the slot free the longest; the instant it could have started is the later of that and its dispatch, which
 * makes the slot hand-off latency leave out the time it waited only because every slot was busy. Used by the poll
 * loop's thread alone.
 */
final class FreeSlots {

    private final int slots;
    private final Deque<Instant> freeSince = new ArrayDeque<>();

    FreeSlots(int slots, Instant now) {
        this.slots = slots;
        for (int i = 0; i < slots; i++) {
            freeSince.add(now);
        }
    }

    boolean anyFree() {
        return !freeSince.isEmpty();
    }

    int busy() {
        return slots - freeSince.size();
    }

    /** A slot is taken for an attempt: since when it was free; null when none is (callers check {@link #anyFree}). */
    Instant take() {
        return freeSince.poll();
    }

    /** A slot became free at {@code at}. */
    void freed(Instant at) {
        freeSince.add(at);
    }
}
