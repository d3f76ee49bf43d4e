package io.dagctl.cli.output;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Durations and times for people: {@code 250 ms}, {@code 4.21 s}, {@code 2m 03s}, {@code 1h 05m}; moments as
 * {@code 2026-12-06 11:50:40} in UTC.
 */
public final class Durations {

    private static final DateTimeFormatter UTC =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    private Durations() {}

    public static String utc(Instant at) {
        return UTC.format(at);
    }

    public static String human(Long millis) {
        if (millis == null) {
            return "-";
        }
        if (millis < 1_000) {
            return millis + " ms";
        }
        if (millis < 60_000) {
            return String.format("%.2f s", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format("%dm %02ds", seconds / 60, seconds % 60);
        }
        return String.format("%dh %02dm", seconds / 3600, (seconds % 3600) / 60);
    }
}
