package io.dagctl.cli.output;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.ColumnData;
import com.github.freva.asciitable.HorizontalAlign;
import io.dagctl.core.event.Events;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.TaskReport;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A run report as a terminal table, a one-line summary, and the reasons of what failed. */
public final class ReportTable {

    private static final int REASON_LINES = 5;
    private static final int REASONS_SHOWN = 20;
    private static final int OUTPUTS_WIDTH = 60;

    private ReportTable() {}

    public static String table(RunReport report) {
        List<ColumnData<TaskReport>> columns = new ArrayList<>(List.of(
                new Column().header("TASK").dataAlign(HorizontalAlign.LEFT).with(TaskReport::name),
                new Column().header("STATUS").dataAlign(HorizontalAlign.LEFT).with(ReportTable::statusCell),
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
        if (report.tasks().stream().anyMatch(t -> !t.outputs().isEmpty())) {
            columns.add(new Column()
                    .header("OUTPUTS")
                    .dataAlign(HorizontalAlign.LEFT)
                    .with(t -> outputsLine(t.outputs())));
        }
        return AsciiTable.getTable(AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS, report.tasks(), columns);
    }

    /**
     * Its status, and whether it waits: for a pool's slot, held by its run's limit, or dispatched to a queue no worker
     * serves.
     */
    private static String statusCell(TaskReport task) {
        if (task.waitingFor() == null) {
            return task.status().name();
        }
        if (task.status() == TaskStatus.QUEUED) {
            return task.status().name() + " (no worker)";
        }
        return task.status().name() + (task.waitingFor().contains(" of pool '") ? " (pool)" : " (held)");
    }

    /** A task's outputs on one line, cut for the table (the JSON report has them whole). */
    static String outputsLine(Map<String, Object> outputs) {
        if (outputs.isEmpty()) {
            return "-";
        }
        String line = outputs.entrySet().stream()
                .map(e -> e.getKey() + "="
                        + (e.getValue() instanceof String text ? text : Events.toJsonText(e.getValue())))
                .collect(Collectors.joining(" "))
                .replace('\n', ' ');
        return line.length() <= OUTPUTS_WIDTH ? line : line.substring(0, OUTPUTS_WIDTH - 1) + "…";
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
        if (report.status() == RunStatus.QUEUED) {
            line += "\n⏸ the run waits for a place under its DAG's max_active_runs; `dagctl dags show " + report.dag()
                    + "` shows the DAG's running and waiting runs";
        }
        return report.traceId() == null ? line : line + "\nTrace: " + report.traceId();
    }

    /**
     * For each task that did not succeed: why, and the end of its stderr; for each skipped task: why. At most
     * {@value #REASONS_SHOWN} of each; a huge run says how many more there are.
     */
    public static String reasons(RunReport report) {
        StringBuilder out = new StringBuilder();
        int failedShown = 0;
        int failedMore = 0;
        int skippedShown = 0;
        int skippedMore = 0;
        for (TaskReport task : report.tasks()) {
            if (task.status() == TaskStatus.SKIPPED) {
                if (skippedShown++ < REASONS_SHOWN) {
                    out.append("– ")
                            .append(task.name())
                            .append(" skipped: ")
                            .append(task.error() == null ? "" : task.error())
                            .append('\n');
                } else {
                    skippedMore++;
                }
                continue;
            }
            if (!task.status().isFailure() && task.status() != TaskStatus.CANCELLED) {
                continue;
            }
            if (failedShown++ >= REASONS_SHOWN) {
                failedMore++;
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
        if (failedMore > 0) {
            out.append("✗ … and ").append(failedMore).append(" more that did not succeed\n");
        }
        if (skippedMore > 0) {
            out.append("– … and ").append(skippedMore).append(" more skipped\n");
        }
        waiting(report, out);
        return out.toString();
    }

    /** The tasks held back, by what they wait for: how many, and the first few names. */
    private static void waiting(RunReport report, StringBuilder out) {
        Map<String, List<String>> byReason = report.tasks().stream()
                .filter(t -> t.waitingFor() != null)
                .collect(Collectors.groupingBy(
                        TaskReport::waitingFor,
                        java.util.LinkedHashMap::new,
                        Collectors.mapping(TaskReport::name, Collectors.toList())));
        byReason.forEach((reason, names) -> {
            String shown = String.join(", ", names.subList(0, Math.min(names.size(), REASONS_SHOWN)));
            out.append("⏸ ")
                    .append(names.size())
                    .append(" task(s) wait for ")
                    .append(reason)
                    .append(": ")
                    .append(shown)
                    .append(names.size() > REASONS_SHOWN ? ", …" : "")
                    .append('\n');
        });
    }
}
