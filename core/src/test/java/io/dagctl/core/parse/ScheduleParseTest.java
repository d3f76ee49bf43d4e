package io.dagctl.core.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.ScheduleSpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A DAG's {@code schedule:} block. */
class ScheduleParseTest {

    private static final String TASKS = "tasks:\n  - {name: a, command: 'true'}\n";

    private final DagParser parser = new DagParser();

    private DagSpec dag(String schedule) throws DagValidationException {
        return parser.parse("name: s\nschedule:\n" + schedule + TASKS, "s.yaml");
    }

    private List<Problem> problemsOf(String schedule) {
        return assertThrows(DagValidationException.class, () -> dag(schedule)).problems();
    }

    @Test
    void everyFieldIsReadAndDefaultsFillTheRest() throws Exception {
        ScheduleSpec s = dag("""
                  cron: "0 2 * * *"
                  timezone: Europe/Berlin
                  start: 2026-01-01T00:00:00Z
                  end: 2027-01-01T02:00:00+02:00
                  catchup: all
                  max_catchup: 5
                  overlap: queue_one
                  paused: true
                """).schedule();
        assertEquals(
                new ScheduleSpec(
                        "0 2 * * *",
                        null,
                        "Europe/Berlin",
                        Instant.parse("2026-01-01T00:00:00Z"),
                        Instant.parse("2027-01-01T00:00:00Z"),
                        ScheduleSpec.Catchup.ALL,
                        5,
                        ScheduleSpec.Overlap.QUEUE_ONE,
                        true),
                s);
        ScheduleSpec every = dag("  every: 30s\n").schedule();
        assertEquals(Duration.ofSeconds(30), every.every());
        assertEquals("UTC", every.timezone());
        assertEquals(ScheduleSpec.Catchup.LATEST, every.catchup());
        assertEquals(ScheduleSpec.Overlap.SKIP, every.overlap());
        assertEquals(100, every.maxCatchup());
        assertEquals("every 30s", every.describe());
        assertEquals("@daily", dag("  cron: '@daily'\n").schedule().cron());
        assertNull(parser.parse("name: s\n" + TASKS, "s.yaml").schedule());
    }

    @Test
    void aScheduleSurvivesTheWire() throws Exception {
        DagSpec dag = dag("  cron: '*/5 * * * *'\n  timezone: America/New_York\n  overlap: allow\n");
        assertEquals(dag, Events.fromJson(Events.toJson(dag), DagSpec.class));
    }

    @Test
    void eachBadFieldIsNamedWithItsLine() {
        List<Problem> problems = problemsOf("""
                  cron: "61 * * * *"
                  timezone: Mars/Olympus
                  catchup: some
                  overlap: skipp
                  max_catchup: 0
                """);
        assertEquals(5, problems.size(), problems::toString);
        assertEquals("schedule.cron", problems.get(0).field());
        assertEquals(3, problems.get(0).line());
        assertTrue(problems.get(0).message().contains("is not a cron expression"), problems::toString);
        assertEquals(
                "unknown time zone 'Mars/Olympus' (an IANA zone such as Europe/Berlin, or UTC)",
                problems.get(1).message());
        assertTrue(problems.get(2).message().contains("one of none, latest, all"), problems::toString);
        assertTrue(problems.get(3).message().contains("did you mean 'skip'?"), problems::toString);
        assertEquals("schedule.max_catchup", problems.get(4).field());
    }

    @Test
    void aScheduleWrittenStraightToKafkaIsCheckedLikeTheParserChecksIt() {
        assertThrows(
                IllegalArgumentException.class,
                () -> new ScheduleSpec(null, null, null, null, null, null, 0, null, false));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ScheduleSpec(null, Duration.ZERO, null, null, null, null, 0, null, false));
        String badZone = "{\"name\":\"z\",\"tasks\":[],\"schedule\":{\"every\":\"PT10S\",\"timezone\":\"Mars/Base\"}}";
        assertThrows(
                MalformedEventException.class,
                () -> Events.fromJson(badZone.getBytes(StandardCharsets.UTF_8), DagSpec.class));
    }

    @Test
    void aDagWithoutParametersOrScheduleIsWrittenAsBeforeThem() {
        String json = Events.toJsonText(new DagSpec("plain", List.of()));
        assertEquals("{\"name\":\"plain\",\"tasks\":[]}", json, "its digest, hence its version and keys, stay");
    }

    @Test
    void aScheduledDagCannotRequireAParameterWithoutDefault() {
        List<Problem> problems = assertThrows(
                        DagValidationException.class,
                        () -> parser.parse(
                                "name: s\nparams:\n  day: {type: string, required: true}\n  n: 3\nschedule:\n"
                                        + "  every: 1m\n" + TASKS,
                                "s.yaml"))
                .problems();
        assertEquals(1, problems.size(), problems::toString);
        assertEquals("params.day", problems.get(0).field());
        assertTrue(problems.get(0).message().contains("'day' is required and has none"), problems::toString);
    }

    @Test
    void intervalsWindowsAndTheChoiceBetweenCronAndEveryAreChecked() {
        assertEquals(
                "the interval is 500ms; the shortest is 1s",
                problemsOf("  every: 500ms\n").get(0).message());
        assertEquals(
                "give cron or every, not both",
                problemsOf("  every: 5s\n  cron: '* * * * *'\n").get(0).message());
        assertEquals(
                "a schedule needs cron or every",
                problemsOf("  timezone: UTC\n").get(0).message());
        Problem window = problemsOf("  every: 5s\n  start: 2026-02-01T00:00:00Z\n  end: 2026-01-01T00:00:00Z\n")
                .get(0);
        assertEquals("schedule.end", window.field());
        assertTrue(window.message().contains("is not after the start"), window.message());
        assertTrue(
                problemsOf("  every: 5s\n  start: tomorrow\n").get(0).message().contains("is not a moment"));
    }
}
