package io.dagctl.coordinator.timer;

import io.dagctl.core.model.AttemptId;
import java.time.Instant;

/**
 * A due time for one attempt. Its store key sorts by due time ({@code 0000001764151530123/LEASE/run/task/1}), so the
 * punctuator finds what is due with one range scan and never looks at timers that are not.
 */
public record Timer(Instant dueAt, TimerKind kind, AttemptId attempt) {

    private static final int MILLIS_DIGITS = 19;

    public String key() {
        return pad(dueAt.toEpochMilli()) + "/" + kind + "/" + attempt;
    }

    /** The first key after every timer due at or before {@code now}. */
    public static String upperBoundFor(Instant now) {
        return pad(now.toEpochMilli() + 1);
    }

    public static String lowerBound() {
        return pad(0);
    }

    public static Timer parse(String key) {
        int first = key.indexOf('/');
        int second = key.indexOf('/', first + 1);
        return new Timer(
                Instant.ofEpochMilli(Long.parseLong(key.substring(0, first))),
                TimerKind.valueOf(key.substring(first + 1, second)),
                AttemptId.parse(key.substring(second + 1)));
    }

    private static String pad(long millis) {
        String digits = Long.toString(Math.max(0, millis));
        return "0".repeat(MILLIS_DIGITS - digits.length()) + digits;
    }
}
