package io.dagctl.core.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import io.dagctl.core.model.ScheduleSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The ticks of a schedule: when a scheduled DAG runs. Cron expressions are parsed and stepped by cron-utils in the
 * schedule's zone; an interval's ticks are {@code start + k * every}. Without a start they count from the epoch plus
 * a phase, normally the one the DAG's name sets ({@link #phase}: under {@code every} and under a minute), so that
 * thousands of DAGs on one interval start their runs spread over it instead of all at the same instant. Around a
 * daylight-saving change each local time fires once: a local time that does not exist (clocks go forward) fires at
 * the first instant after the gap, and one that happens twice (clocks go back) fires at its first occurrence only.
 */
public final class ScheduleClock {

    private static final CronParser PARSER = new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
    private static final Map<String, String> ALIASES = Map.of(
            "@hourly", "0 * * * *",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@weekly", "0 0 * * 0",
            "@monthly", "0 0 1 * *",
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *");

    /** How many time-zone changes one step looks at, at most (a zone has a few a year). */
    private static final int MAX_TRANSITIONS = 64;
    /** The widest phase an interval without a start gets: its ticks stay within a minute of the aligned times. */
    private static final Duration MAX_PHASE = Duration.ofMinutes(1);

    private final ScheduleSpec spec;
    private final ExecutionTime cron;
    private final ZoneId zone;
    /** Where an interval's ticks count from, in epoch millis: its start, or its phase. */
    private final long anchorMillis;

    /**
     * @param phase where an interval without a start ticks after the aligned times ({@link #phase} of its DAG, or zero
     *     for a schedule stored before phases existed); unused otherwise
     */
    public ScheduleClock(ScheduleSpec spec, Duration phase) {
        this.spec = spec;
        this.zone = ZoneId.of(spec.timezone());
        this.cron = spec.cron() == null ? null : ExecutionTime.forCron(parse(spec.cron()));
        this.anchorMillis =
                spec.every() == null ? 0 : spec.start() != null ? spec.start().toEpochMilli() : phase.toMillis();
    }

    /**
     * How far after the epoch-aligned times an interval without a start ticks, for the DAG of this name: the same
     * for the name everywhere and always (a CRC-32 of it), spread evenly under the interval and under a minute.
     */
    public static Duration phase(String dagName, Duration every) {
        CRC32 crc = new CRC32();
        crc.update(dagName.getBytes(StandardCharsets.UTF_8));
        long spread = Math.min(every.toMillis(), MAX_PHASE.toMillis());
        return Duration.ofMillis(Math.floorMod(crc.getValue(), spread));
    }

    /**
     * Parses a 5-field cron expression or an alias.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static Cron parse(String expression) {
        String text = ALIASES.getOrDefault(expression.strip(), expression.strip());
        try {
            return PARSER.parse(text).validate();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "'" + expression + "' is not a cron expression (5 fields: minute hour day-of-month month"
                            + " day-of-week, or "
                            + String.join(
                                    ", ", ALIASES.keySet().stream().sorted().toList())
                            + "): " + e.getMessage(),
                    e);
        }
    }

    /** The first tick strictly after {@code after}, within the window; empty when there is none. */
    public Optional<Instant> next(Instant after) {
        Instant from = spec.start() != null && after.isBefore(spec.start())
                ? spec.start().minusNanos(1)
                : after;
        Optional<Instant> next = cron != null ? nextCron(from) : Optional.of(nextInterval(from));
        return next.filter(t -> spec.end() == null || !t.isAfter(spec.end()));
    }

    /** The last tick at or before {@code at}, within the window; empty when there is none. */
    public Optional<Instant> latest(Instant at) {
        Instant to = spec.end() != null && at.isAfter(spec.end()) ? spec.end() : at;
        Optional<Instant> last = cron != null ? latestCron(to) : latestInterval(to);
        return last.filter(t -> spec.start() == null || !t.isBefore(spec.start()));
    }

    /** The ticks in {@code (after, to]}, the latest {@code max} of them, oldest first. */
    public List<Instant> between(Instant after, Instant to, int max) {
        List<Instant> newestFirst = new ArrayList<>();
        Optional<Instant> tick = latest(to);
        while (tick.isPresent() && tick.get().isAfter(after) && newestFirst.size() < max) {
            newestFirst.add(tick.get());
            tick = latest(tick.get().minusNanos(1));
        }
        List<Instant> ticks = new ArrayList<>(newestFirst.size());
        for (int i = newestFirst.size() - 1; i >= 0; i--) {
            ticks.add(newestFirst.get(i));
        }
        return ticks;
    }

    /** How many ticks fall in {@code [from, to]} (both included): exact up to {@code max}, else {@code max + 1}. */
    public int countIn(Instant from, Instant to, int max) {
        return between(from.minusNanos(1), to, max + 1).size();
    }

    private Optional<Instant> nextCron(Instant after) {
        Optional<ZonedDateTime> next = cron.nextExecution(after.atZone(zone));
        // a local time that happens twice fires at its first occurrence only
        while (next.isPresent() && repeatsEarlierLocalTime(next.get())) {
            next = cron.nextExecution(next.get());
        }
        Optional<Instant> tick = next.map(ZonedDateTime::toInstant);
        // a local time that does not exist (cron-utils passes over it) fires once, when the gap ends
        ZoneOffsetTransition transition = zone.getRules().nextTransition(after);
        for (int seen = 0; transition != null && seen < MAX_TRANSITIONS; seen++) {
            if (tick.isPresent() && transition.getInstant().isAfter(tick.get())) {
                break;
            }
            if (matchesInGap(transition)) {
                return Optional.of(transition.getInstant());
            }
            transition = zone.getRules().nextTransition(transition.getInstant());
        }
        return tick;
    }

    private Optional<Instant> latestCron(Instant at) {
        Optional<ZonedDateTime> last = cron.lastExecution(at.plusNanos(1).atZone(zone));
        while (last.isPresent() && repeatsEarlierLocalTime(last.get())) {
            last = cron.lastExecution(last.get());
        }
        Optional<Instant> tick = last.map(ZonedDateTime::toInstant);
        ZoneOffsetTransition transition = zone.getRules().previousTransition(at.plusNanos(1));
        for (int seen = 0; transition != null && seen < MAX_TRANSITIONS; seen++) {
            if (tick.isPresent() && !transition.getInstant().isAfter(tick.get())) {
                break;
            }
            if (matchesInGap(transition)) {
                return Optional.of(transition.getInstant());
            }
            transition = zone.getRules().previousTransition(transition.getInstant());
        }
        return tick;
    }

    /** Whether the expression names a local time that the transition skips (clocks going forward). */
    private boolean matchesInGap(ZoneOffsetTransition transition) {
        if (!transition.isGap()) {
            return false;
        }
        // read the skipped local times on the clock as it was before the change, where they exist
        ZonedDateTime gapStart = transition.getDateTimeBefore().atZone(transition.getOffsetBefore());
        return cron.nextExecution(gapStart.minusNanos(1))
                .map(t -> t.toLocalDateTime().isBefore(transition.getDateTimeAfter()))
                .orElse(false);
    }

    /** The same local time an hour (or the shift) earlier existed too: this is its second occurrence. */
    private boolean repeatsEarlierLocalTime(ZonedDateTime tick) {
        ZonedDateTime earlier = tick.withEarlierOffsetAtOverlap();
        return !earlier.toInstant().equals(tick.toInstant());
    }

    private Instant nextInterval(Instant after) {
        long every = spec.every().toMillis();
        long since = after.toEpochMilli() - anchorMillis;
        long k = Math.floorDiv(since, every) + 1;
        return Instant.ofEpochMilli(anchorMillis + k * every);
    }

    private Optional<Instant> latestInterval(Instant at) {
        long every = spec.every().toMillis();
        long since = at.toEpochMilli() - anchorMillis;
        if (since < 0) {
            return Optional.empty();
        }
        return Optional.of(Instant.ofEpochMilli(anchorMillis + Math.floorDiv(since, every) * every));
    }

    /** The shortest interval a schedule may have. */
    public static Duration minimumInterval() {
        return Duration.ofSeconds(1);
    }
}
