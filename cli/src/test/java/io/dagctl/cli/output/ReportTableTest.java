package io.dagctl.cli.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.TaskReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTableTest {

    private static final Instant T = Instant.parse("2026-11-26T10:00:00Z");

    private final RunReport report = new RunReport(
            "r1",
            "etl",
            Map.of("day", "2026-11-26"),
            RunStatus.FAILED,
            T,
            T,
            T.plusMillis(4210),
            4210L,
            List.of(
                    new TaskReport(
                            "extract",
                            TaskStatus.SUCCESS,
                            1,
                            0,
                            T,
                            T.plusMillis(250),
                            250L,
                            "w1",
                            "ok\n",
                            "",
                            null,
                            Map.of("rows", 42),
                            null,
                            List.of()),
                    new TaskReport(
                            "load",
                            TaskStatus.FAILED,
                            3,
                            2,
                            T,
                            T.plusSeconds(2),
                            2000L,
                            "w2",
                            "",
                            "line1\nline2\nno db\n",
                            "exited with code 2",
                            Map.of(),
                            null,
                            List.of()),
                    new TaskReport(
                            "report",
                            TaskStatus.UPSTREAM_FAILED,
                            0,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            "dependency 'load' did not succeed",
                            Map.of(),
                            null,
                            List.of())),
            "4bf92f3577b34da6a3ce929d0e0e4736",
            null,
            "submission-1",
            "digest-1",
            null,
            "api",
            T);

    @Test
    void tableHasOneRowPerTaskWithEveryColumn() {
        String table = ReportTable.table(report);
        assertTrue(
                table.contains("| TASK    | STATUS          | ATTEMPTS | DURATION | EXIT | WORKER | OUTPUTS |"), table);
        assertTrue(
                table.contains("| extract | SUCCESS         |        1 |   250 ms |    0 | w1     | rows=42 |"), table);
        assertTrue(
                table.contains("| load    | FAILED          |        3 |   2.00 s |    2 | w2     | -       |"), table);
        assertTrue(
                table.contains("| report  | UPSTREAM_FAILED |        0 |        - |    - | -      | -       |"), table);
    }

    @Test
    void summaryCountsStatusesAndNamesTheTrace() {
        assertEquals(
                "Run r1 of DAG 'etl': FAILED in 4.21 s — 3 task(s): 1 success, 1 failed, 1 upstream failed\n"
                        + "Parameters: day=2026-11-26\n"
                        + "Trace: 4bf92f3577b34da6a3ce929d0e0e4736",
                ReportTable.summary(report));
    }

    @Test
    void outputsAreCutForTheTableOnly() {
        Map<String, Object> outputs = new java.util.LinkedHashMap<>();
        outputs.put("n", "3");
        outputs.put("files", List.of("a", "b"));
        assertEquals("n=3 files=[\"a\",\"b\"]", ReportTable.outputsLine(outputs));
        String line = ReportTable.outputsLine(Map.of("long", "x".repeat(100)));
        assertEquals(60, line.length());
        assertTrue(line.endsWith("…"));
    }

    @Test
    void reasonsAreBoundedAndNameSkips() {
        List<TaskReport> many = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            many.add(new TaskReport(
                    "s" + i,
                    TaskStatus.SKIPPED,
                    0,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    "when: false is false",
                    Map.of(),
                    null,
                    List.of()));
            many.add(new TaskReport(
                    "f" + i,
                    TaskStatus.UPSTREAM_FAILED,
                    0,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    null,
                    "upstream task 'x' ended FAILED",
                    Map.of(),
                    null,
                    List.of()));
        }
        RunReport big = new RunReport(
                report.runId(),
                report.dag(),
                report.params(),
                report.status(),
                report.submittedAt(),
                report.startedAt(),
                report.endedAt(),
                report.durationMs(),
                many,
                report.traceId(),
                report.error(),
                report.submissionId(),
                report.submissionDigest(),
                report.dagVersion(),
                report.trigger(),
                report.logicalDate());
        String reasons = ReportTable.reasons(big);
        assertTrue(reasons.contains("– s0 skipped: when: false is false\n"), reasons);
        assertTrue(reasons.contains("– … and 10 more skipped"), reasons);
        assertTrue(reasons.contains("✗ … and 10 more that did not succeed"), reasons);
        assertEquals(42, reasons.lines().count());
    }

    @Test
    void failuresShowTheReasonAndTheEndOfStderr() {
        String failures = ReportTable.reasons(report);
        assertTrue(failures.contains("✗ load: exited with code 2\n    line1\n    line2\n    no db\n"), failures);
        assertTrue(failures.contains("✗ report: dependency 'load' did not succeed"), failures);
    }

    @Test
    void heldTasksAreMarkedAndCountedWithWhatTheyWaitFor() {
        List<TaskReport> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < 25; i++) {
            tasks.add(new TaskReport(
                            "t" + i,
                            TaskStatus.PENDING,
                            0,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            null,
                            Map.of(),
                            null,
                            List.of())
                    .waiting("a free place under the run's max_active_tasks"));
        }
        RunReport running = new RunReport(
                report.runId(),
                report.dag(),
                Map.of(),
                RunStatus.RUNNING,
                T,
                T,
                null,
                null,
                tasks,
                null,
                null,
                null,
                null,
                null,
                "api",
                T);
        assertTrue(ReportTable.table(running).contains("| t0   | PENDING (held) |"), ReportTable.table(running));
        String reasons = ReportTable.reasons(running);
        assertTrue(
                reasons.startsWith("⏸ 25 task(s) wait for a free place under the run's max_active_tasks: t0, t1, "),
                reasons);
        assertTrue(reasons.strip().endsWith("t19, …"), reasons);
    }

    @Test
    void durationsReadWell() {
        assertEquals("-", Durations.human(null));
        assertEquals("999 ms", Durations.human(999L));
        assertEquals("1.50 s", Durations.human(1500L));
        assertEquals("2m 03s", Durations.human(123_000L));
        assertEquals("1h 05m", Durations.human(3_900_000L));
    }
}
