package io.dagctl.core.model;

import io.dagctl.core.parse.DurationText;
import io.dagctl.core.schedule.ScheduleClock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * When a stored DAG runs by itself: on a cron expression (5 fields, or @hourly/@daily/@weekly/@monthly) in a time
 * zone, or every fixed interval; within an optional window; with what to do about ticks missed while it could not run
 * and about a tick that comes while the previous run is unfinished.
 *
 * @param cron the cron expression as written (aliases kept), or null for an interval
 * @param every the interval, or null for a cron expression
 * @param timezone an IANA zone id; cron fields are read in it
 * @param start no tick before it (an interval's ticks count from it), or null
 * @param end no tick after it, or null
 * @param maxCatchup how many missed ticks {@link Catchup#ALL} runs at most (the latest ones)
 * @param paused whether the DAG is paused when it is first stored
 */
public record ScheduleSpec(
        String cron,
        Duration every,
        String timezone,
        Instant start,
        Instant end,
        Catchup catchup,
        int maxCatchup,
        Overlap overlap,
        boolean paused) {

    public static final String DEFAULT_TIMEZONE = "UTC";
    public static final int DEFAULT_MAX_CATCHUP = 100;

    /**
     * @throws IllegalArgumentException for a schedule the parser would refuse (a record written straight to Kafka is
     *     then a dead letter, not a failure of its owner)
     */
    public ScheduleSpec {
        timezone = timezone == null ? DEFAULT_TIMEZONE : timezone;
        if ((cron == null) == (every == null)) {
            throw new IllegalArgumentException("a schedule has cron or every, one of them");
        }
        if (every != null && every.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("a schedule's interval is 1 s or more, got " + every);
        }
        if (cron != null) {
            ScheduleClock.parse(cron);
        }
        try {
            ZoneId.of(timezone);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("unknown time zone '" + timezone + "'", e);
        }
        if (start != null && end != null && !end.isAfter(start)) {
            throw new IllegalArgumentException("a schedule's end is after its start");
        }
        catchup = catchup == null ? Catchup.LATEST : catchup;
        overlap = overlap == null ? Overlap.SKIP : overlap;
        maxCatchup = maxCatchup <= 0 ? DEFAULT_MAX_CATCHUP : maxCatchup;
    }

    /** What runs of the ticks missed while the DAG was not scheduled (downtime, paused). */
    public enum Catchup {
        /** None: the next run is the next tick to come. */
        NONE,
        /** The latest missed tick only. */
        LATEST,
        /** Every missed tick, in order, at most {@code max_catchup} (the latest ones). */
        ALL;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Catchup> fromYamlName(String text) {
            return Arrays.stream(values())
                    .filter(c -> c.yamlName().equals(text))
                    .findFirst();
        }

        public static List<String> yamlNames() {
            return Arrays.stream(values()).map(Catchup::yamlName).toList();
        }
    }

    /** What a tick does while a previous run of the DAG is unfinished. */
    public enum Overlap {
        /** Nothing: the tick is skipped (and counted). */
        SKIP,
        /** It waits until the previous runs end; a later tick replaces a waiting one. */
        QUEUE_ONE,
        /** It starts a run anyway. */
        ALLOW,
        /** The unfinished runs are cancelled and the tick's run starts. */
        CANCEL_PREVIOUS;

        public String yamlName() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Optional<Overlap> fromYamlName(String text) {
            return Arrays.stream(values())
                    .filter(o -> o.yamlName().equals(text))
                    .findFirst();
        }

        public static List<String> yamlNames() {
            return Arrays.stream(values()).map(Overlap::yamlName).toList();
        }
    }

    /** How it is shown in listings: the cron expression and zone, or the interval. */
    public String describe() {
        if (cron != null) {
            return cron + (timezone.equals(DEFAULT_TIMEZONE) ? "" : " " + timezone);
        }
        return "every " + DurationText.format(every);
    }
}
