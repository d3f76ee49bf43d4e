package io.dagctl.core.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.model.ScheduleSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ScheduleClockTest {

    private static ScheduleClock cron(String expression, String zone) {
        return new ScheduleClock(
                new ScheduleSpec(expression, null, zone, null, null, null, 0, null, false), Duration.ZERO);
    }

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void aCronExpressionTicksInItsZone() {
        ScheduleClock nightly = cron("0 2 * * *", "Europe/Berlin");
        assertEquals(Optional.of(at("2026-01-15T01:00:00Z")), nightly.next(at("2026-01-14T12:00:00Z")));
        assertEquals(Optional.of(at("2026-07-15T00:00:00Z")), nightly.next(at("2026-07-14T12:00:00Z")), "summer");
        assertEquals(Optional.of(at("2026-01-14T01:00:00Z")), nightly.latest(at("2026-01-14T12:00:00Z")));
        assertEquals(Optional.of(at("2026-01-14T01:00:00Z")), nightly.latest(at("2026-01-14T01:00:00Z")), "at a tick");
        assertEquals(
                Optional.of(at("2026-01-14T00:00:00Z")), cron("@daily", "UTC").next(at("2026-01-13T23:59:59Z")));
        assertEquals(
                Optional.of(at("2026-01-13T15:00:00Z")), cron("@hourly", "UTC").next(at("2026-01-13T14:00:00Z")));
    }

    @Test
    void aLocalTimeThatDoesNotExistFiresOnceAndOneThatHappensTwiceFiresOnce() {
        ScheduleClock halfPastTwo = cron("30 2 * * *", "Europe/Berlin");
        // 2026-03-29: clocks go from 02:00 to 03:00; 02:30 does not exist that day
        List<Instant> spring = halfPastTwo.between(at("2026-03-27T12:00:00Z"), at("2026-03-31T12:00:00Z"), 10);
        assertEquals(4, spring.size(), spring::toString);
        assertEquals(at("2026-03-28T01:30:00Z"), spring.get(0));
        assertTrue(
                spring.get(1).isAfter(at("2026-03-29T00:59:59Z"))
                        && spring.get(1).isBefore(at("2026-03-29T02:00:01Z")),
                "once on the day of the gap: " + spring);
        assertEquals(at("2026-03-30T00:30:00Z"), spring.get(2));
        // 2026-10-25: clocks go from 03:00 back to 02:00; 02:30 happens twice
        List<Instant> autumn = halfPastTwo.between(at("2026-10-23T12:00:00Z"), at("2026-10-27T12:00:00Z"), 10);
        assertEquals(
                List.of(
                        at("2026-10-24T00:30:00Z"),
                        at("2026-10-25T00:30:00Z"),
                        at("2026-10-26T01:30:00Z"),
                        at("2026-10-27T01:30:00Z")),
                autumn);
        assertEquals(Optional.of(at("2026-10-26T01:30:00Z")), halfPastTwo.next(at("2026-10-25T00:30:00Z")));
    }

    @Test
    void anIntervalTicksFromItsStartAndTheWindowBoundsEveryTick() {
        Instant start = at("2026-01-01T00:00:05Z");
        ScheduleClock every = new ScheduleClock(
                new ScheduleSpec(
                        null, Duration.ofSeconds(30), null, start, at("2026-01-01T00:02:00Z"), null, 0, null, false),
                Duration.ofSeconds(7)); // a start sets where an interval counts from; the phase is not used
        assertEquals(Optional.of(start), every.next(at("2025-12-31T00:00:00Z")));
        assertEquals(Optional.of(at("2026-01-01T00:00:35Z")), every.next(start));
        assertEquals(Optional.of(at("2026-01-01T00:01:35Z")), every.latest(at("2026-01-01T00:01:40Z")));
        assertEquals(Optional.empty(), every.next(at("2026-01-01T00:01:35Z")), "the next would be after the end");
        assertEquals(Optional.empty(), every.latest(at("2026-01-01T00:00:04Z")), "nothing before the start");
        assertEquals(
                List.of(at("2026-01-01T00:01:05Z"), at("2026-01-01T00:01:35Z")),
                every.between(start, at("2026-01-01T09:00:00Z"), 2),
                "the latest ones, oldest first");
    }

    @Test
    void anIntervalWithoutAStartTicksAtItsNamesPhaseSoThatManyDagsSpreadOverIt() {
        Duration tenSeconds = Duration.ofSeconds(10);
        ScheduleSpec spec = new ScheduleSpec(null, tenSeconds, null, null, null, null, 0, null, false);
        Duration phase = ScheduleClock.phase("nightly_etl", tenSeconds);
        assertEquals(phase, ScheduleClock.phase("nightly_etl", tenSeconds), "the same name, the same phase");
        assertEquals(
                Optional.of(at("2026-01-01T00:00:10Z").plus(phase)),
                new ScheduleClock(spec, phase).next(at("2026-01-01T00:00:00Z").plus(phase)));

        Set<Long> seconds = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            Duration p = ScheduleClock.phase("every10s_" + i, tenSeconds);
            assertTrue(!p.isNegative() && p.compareTo(tenSeconds) < 0, p.toString());
            seconds.add(p.toSeconds());
        }
        assertEquals(10, seconds.size(), "1,000 DAGs fall in every second of the interval");
        for (int i = 0; i < 100; i++) {
            Duration p = ScheduleClock.phase("daily_" + i, Duration.ofDays(1));
            assertTrue(p.compareTo(Duration.ofMinutes(1)) < 0, "a long interval's phase stays under a minute: " + p);
        }
    }

    @Test
    void aBadExpressionSaysWhatACronExpressionIs() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ScheduleClock.parse("61 * * * *"));
        assertTrue(e.getMessage().startsWith("'61 * * * *' is not a cron expression (5 fields"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScheduleClock.parse("* * * *"));
        assertThrows(IllegalArgumentException.class, () -> ScheduleClock.parse("@sometimes"));
    }
}
