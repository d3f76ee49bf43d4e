package io.dagctl.core.telemetry;

import java.time.Duration;

/** Histogram bucket bounds of every dagctl duration metric: 1 ms to 10 min, about three per decade. */
public final class DurationBuckets {

    private static final Duration[] DURATIONS = {
        Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
        Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
        Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofMinutes(1),
        Duration.ofMinutes(2), Duration.ofMinutes(5), Duration.ofMinutes(10)
    };

    /** The bounds, shortest first (a fresh copy). */
    public static Duration[] bounds() {
        return DURATIONS.clone();
    }

    private DurationBuckets() {}
}
