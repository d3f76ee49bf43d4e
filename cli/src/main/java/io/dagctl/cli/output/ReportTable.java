package io.dagctl.cli.output;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.TaskReport;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A run report as a terminal table, a one-line summary, and the reasons of what failed. */
public final class ReportTable {

    private static final int REASON_LINES = 5;

    private ReportTable() {}

    public static String table(RunReport report) {
        return AsciiTable.getTable(
                AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS,
                report.tasks(),
                List.of(
                        new Column()
                                .header("TASK")
                                .dataAlign(HorizontalAlign.LEFT)
                                .with(TaskReport::name),
                        new Column()
                                .header("STATUS")
                                .dataAlign(HorizontalAlign.LEFT)
                                .with(t -> t.status().name()),
                        new Column()
                                .header("ATTEMPTS")
                                .dataAlign(HorizontalAlign.RIGHT)
                                .with(t -> String.valueOf(t.attempts())),
                        new Column()
                                .header("DURATION")
                                .dataAlign(HorizontalAlign.RIGHT)
                                .with(t -> Durations.human(t.durationMs())),
                        new Column()
                                .header("EXIT")
                                .dataAlign(HorizontalAlign.RIGHT)
                                .with(t -> t.exitCode() == null ? "-" : String.valueOf(t.exitCode())),
                        new Column()
                                .header("WORKER")
                                .dataAlign(HorizontalAlign.LEFT)
                                .with(t -> t.workerId() == null ? "-" : t.workerId())));
    }

    public static String summary(RunReport report) {
        Map<TaskStatus, Long> counts = report.countByStatus();
        String breakdown = counts.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase().replace('_', ' '))
                .collect(Collectors.joining(", "));
        String line = String.format(
                "Run %s of DAG '%s': %s in %s — %d task(s): %s",
                report.runId(),
                report.dag(),
                report.status(),
                Durations.human(report.durationMs()),
                report.tasks().size(),
                breakdown);
        if (!report.params().isEmpty()) {
            line += "\nParameters: "
                    + report.params().entrySet().stream()
                            .map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(" "));
        }
        if (report.error() != null) {
            line += "\nWhy: " + report.error();
        }
        return report.traceId() == null ? line : line + "\nTrace: " + report.traceId();
    }

    /** For each task that did not succeed: why, and the end of its stderr. */
    public static String failures(RunReport report) {
        StringBuilder out = new StringBuilder();
        for (TaskReport task : report.tasks()) {
            if (!task.status().isFailure() && task.status() != TaskStatus.CANCELLED) {
                continue;
            }
            out.append("✗ ")
                    .append(task.name())
                    .append(": ")
                    .append(task.error() == null ? task.status() : task.error())
                    .append('\n');
            String stderr = task.stderrTail() == null ? "" : task.stderrTail().strip();
            if (!stderr.isEmpty()) {
                List<String> lines = stderr.lines().toList();
                for (String line : lines.subList(Math.max(0, lines.size() - REASON_LINES), lines.size())) {
                    out.append("    ").append(line).append('\n');
                }
            }
        }
        return out.toString();
    }
}
