package io.dagctl.core.parse;

import io.dagctl.core.model.ScheduleSpec;
import io.dagctl.core.schedule.ScheduleClock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a DAG's {@code schedule:} block and checks it where it stands: one of {@code cron} (5 fields or an alias) and
 * {@code every} (1 s or more), an IANA zone, a window whose end is after its start, and the catch-up and overlap
 * policies.
 */
final class ScheduleReader {

    private static final List<String> FIELDS =
            List.of("cron", "every", "timezone", "start", "end", "catchup", "max_catchup", "overlap", "paused");
    private static final int MAX_CATCHUP_LIMIT = 10_000;

    private final NodeReader reader;

    ScheduleReader(NodeReader reader) {
        this.reader = reader;
    }

    /** The schedule, or empty (with the problems recorded) when it is not valid. */
    Optional<ScheduleSpec> read(Node value) {
        if (!(value instanceof MappingNode mapping)) {
            reader.problem(
                    value.getStartMark(),
                    null,
                    "schedule",
                    "expected a mapping with cron or every (and timezone, start, end, catchup, overlap, paused),"
                            + " found " + NodeReader.describe(value));
            return Optional.empty();
        }
        int before = reader.problemCount();
        String[] cron = {null};
        Duration[] every = {null};
        String[] zone = {null};
        Instant[] start = {null};
        Instant[] end = {null};
        Node[] endNode = {null};
        ScheduleSpec.Catchup[] catchup = {null};
        int[] maxCatchup = {0};
        ScheduleSpec.Overlap[] overlap = {null};
        boolean[] paused = {false};
        reader.fields(mapping, null, FIELDS, (field, node) -> {
            String where = "schedule." + field;
            switch (field) {
                case "cron" ->
                    reader.text(node, null, where).ifPresent(text -> {
                        try {
                            ScheduleClock.parse(text);
                            cron[0] = text.strip();
                        } catch (IllegalArgumentException e) {
                            reader.problem(node.getStartMark(), null, where, e.getMessage());
                        }
                    });
                case "every" ->
                    reader.text(node, null, where).ifPresent(text -> {
                        Optional<Duration> d = DurationText.parse(text);
                        if (d.isEmpty()) {
                            reader.problem(
                                    node.getStartMark(), null, where, "'" + text + "' is not a duration (30s, 5m, 1h)");
                        } else if (d.get().compareTo(ScheduleClock.minimumInterval()) < 0) {
                            reader.problem(
                                    node.getStartMark(),
                                    null,
                                    where,
                                    "the interval is " + DurationText.format(d.get()) + "; the shortest is 1s");
                        } else {
                            every[0] = d.get();
                        }
                    });
                case "timezone" ->
                    reader.text(node, null, where).ifPresent(text -> {
                        try {
                            zone[0] = ZoneId.of(text.strip()).getId();
                        } catch (DateTimeException e) {
                            reader.problem(
                                    node.getStartMark(),
                                    null,
                                    where,
                                    "unknown time zone '" + text + "' (an IANA zone such as Europe/Berlin, or UTC)");
                        }
                    });
                case "start" -> start[0] = instant(node, where);
                case "end" -> {
                    end[0] = instant(node, where);
                    endNode[0] = node;
                }
                case "catchup" ->
                    reader.text(node, null, where)
                            .ifPresent(text -> catchup[0] = ScheduleSpec.Catchup.fromYamlName(text)
                                    .orElseGet(() -> {
                                        reader.problem(
                                                node.getStartMark(),
                                                null,
                                                where,
                                                "unknown catchup '" + text + "'; one of "
                                                        + String.join(", ", ScheduleSpec.Catchup.yamlNames()));
                                        return null;
                                    }));
                case "max_catchup" ->
                    reader.integer(node, null, where, 1, MAX_CATCHUP_LIMIT).ifPresent(n -> maxCatchup[0] = n);
                case "overlap" ->
                    reader.text(node, null, where)
                            .ifPresent(text -> overlap[0] = ScheduleSpec.Overlap.fromYamlName(text)
                                    .orElseGet(() -> {
                                        reader.problem(
                                                node.getStartMark(),
                                                null,
                                                where,
                                                "unknown overlap '" + text + "'"
                                                        + Suggestions.hint(text, ScheduleSpec.Overlap.yamlNames())
                                                        + "; one of "
                                                        + String.join(", ", ScheduleSpec.Overlap.yamlNames()));
                                        return null;
                                    }));
                default -> {
                    if (node instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
                        paused[0] = List.of("true", "yes", "on")
                                .contains(s.getValue().toLowerCase());
                    } else {
                        reader.problem(
                                node.getStartMark(),
                                null,
                                where,
                                "expected true or false, found " + NodeReader.describe(node));
                    }
                }
            }
        });
        if (cron[0] == null && every[0] == null && reader.problemCount() == before) {
            reader.problem(mapping.getStartMark(), null, "schedule", "a schedule needs cron or every");
        }
        if (cron[0] != null && every[0] != null) {
            reader.problem(mapping.getStartMark(), null, "schedule", "give cron or every, not both");
        }
        if (start[0] != null && end[0] != null && !end[0].isAfter(start[0])) {
            reader.problem(
                    endNode[0].getStartMark(),
                    null,
                    "schedule.end",
                    "the end (" + end[0] + ") is not after the start (" + start[0] + ")");
        }
        if (reader.problemCount() > before) {
            return Optional.empty();
        }
        return Optional.of(new ScheduleSpec(
                cron[0], every[0], zone[0], start[0], end[0], catchup[0], maxCatchup[0], overlap[0], paused[0]));
    }

    private Instant instant(Node node, String where) {
        Optional<String> text = node instanceof ScalarNode s && !reader.isNull(node)
                ? Optional.of(s.getValue())
                : reader.text(node, null, where);
        if (text.isEmpty()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text.get().strip()).toInstant();
        } catch (DateTimeParseException e) {
            reader.problem(
                    node.getStartMark(),
                    null,
                    where,
                    "'" + text.get() + "' is not a moment with its offset (2026-01-01T00:00:00Z or"
                            + " 2026-01-01T02:00:00+02:00)");
            return null;
        }
    }
}
