package io.dagctl.coordinator.timer;

import io.dagctl.core.model.AttemptId;
import java.time.Instant;

/**
 * A due time for an attempt, a task or a run ({@link TimerKind#level}). Its store key sorts by due time
 * ({@code 0000001764151530123/LEASE/run/task/1}), so the punctuator finds what is due with one range scan and never
 * looks at timers that are not.
 *
 * @param target {@code run/task/attempt}, {@code run/task} or the run id, as the kind's level says
 */
public record Timer(Instant dueAt, TimerKind kind, String target) {

    private static final int MILLIS_DIGITS = 19;

    public static Timer of(Instant dueAt, TimerKind kind, AttemptId attempt) {
        require(kind, TimerKind.Level.ATTEMPT);
        return new Timer(dueAt, kind, attempt.toString());
    }

    public static Timer ofTask(Instant dueAt, TimerKind kind, String runId, String task) {
        require(kind, TimerKind.Level.TASK);
        return new Timer(dueAt, kind, runId + "/" + task);
    }

    public static Timer ofRun(Instant dueAt, TimerKind kind, String runId) {
        require(kind, TimerKind.Level.RUN);
        return new Timer(dueAt, kind, runId);
    }

    private static void require(TimerKind kind, TimerKind.Level level) {
        if (kind.level() != level) {
            throw new IllegalArgumentException(kind + " is a timer of a " + kind.level() + ", not of a " + level);
        }
    }

    /** The attempt of an attempt-level timer. */
    public AttemptId attempt() {
        return AttemptId.parse(target);
    }

    /** The run the timer belongs to. */
    public String runId() {
        int slash = target.indexOf('/');
        return slash < 0 ? target : target.substring(0, slash);
    }

    /** The task of an attempt- or task-level timer. */
    public String task() {
        String[] parts = target.split("/", -1);
        return parts.length > 1 ? parts[1] : null;
    }

    public String key() {
        return pad(dueAt.toEpochMilli()) + "/" + kind + "/" + target;
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
                key.substring(second + 1));
    }

    private static String pad(long millis) {
        String digits = Long.toString(Math.max(0, millis));
        return "0".repeat(MILLIS_DIGITS - digits.length()) + digits;
    }
}
