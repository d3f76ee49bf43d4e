package io.dagctl.worker.consume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class FreeSlotsTest {

    private static final Instant START = Instant.parse("2026-11-27T10:00:00Z");

    @Test
    void aStartTakesTheSlotFreeLongest() {
        FreeSlots slots = new FreeSlots(2, START);
        assertEquals(START, slots.take());
        assertEquals(START, slots.take());
        assertEquals(2, slots.busy());
        assertFalse(slots.anyFree());
        slots.freed(START.plusSeconds(5));
        slots.freed(START.plusSeconds(9));
        assertEquals(START.plusSeconds(5), slots.take());
        slots.freed(START.plusSeconds(12));
        assertEquals(START.plusSeconds(9), slots.take());
        assertEquals(START.plusSeconds(12), slots.take());
    }

    @Test
    void takingASlotWhenNoneIsFreeGivesNoInstant() {
        FreeSlots slots = new FreeSlots(1, START);
        slots.take();
        assertNull(slots.take());
        assertEquals(1, slots.busy(), "a take with nothing free changes nothing");
    }
}
