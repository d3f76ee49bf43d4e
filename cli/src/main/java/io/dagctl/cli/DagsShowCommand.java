package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.core.event.Events;
import io.dagctl.core.model.ParamSpec;
import io.dagctl.core.model.ScheduleSpec;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.report.DagReport;
import io.dagctl.core.report.DagSummary;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "show",
        description = "Shows a stored DAG: its state, its parameters and the tasks of its latest (or a given) version.")
public class DagsShowCommand extends ClientCommand {

    private static final int RUNS_SHOWN = 5;

    @Parameters(index = "0", description = "the DAG's name")
    String name;

    // no mixinStandardHelpOptions: its --version (dagctl's own) would take the place of this command's --version N
    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--version", description = "this version instead of the latest")
    Integer version;

    @Option(names = "--json", description = "print the DAG and its spec as JSON")
    boolean json;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        DagReport report = api.dag(name, version);
        if (json) {
            out.println(Events.toJsonText(report));
            return ExitCodes.SUCCESS;
        }
        out.printf(
                "DAG '%s' version %d of %d%s%s, stored %s%n",
                name,
                report.version(),
                report.dag().version(),
                report.deleted() ? " (deleted)" : "",
                report.dag().paused() ? " (paused)" : "",
                report.appliedAt());
        printSchedule(report, out);
        printRuns(report, out);
        if (report.dag().lastRunId() != null) {
            out.printf(
                    "Last run: %s at %s%s%n",
                    report.dag().lastRunId(),
                    report.dag().lastRunAt(),
                    report.dag().lastRunStatus() == null
                            ? ""
                            : " (" + report.dag().lastRunStatus() + ")");
        }
        if (!report.spec().params().isEmpty()) {
            out.println("Parameters:");
            for (ParamSpec p : report.spec().params().values()) {
                out.printf(
                        "  %s: %s%s%s%n",
                        p.name(),
                        p.type().yamlName(),
                        p.required() ? ", required" : p.defaultValue() == null ? "" : ", default " + p.defaultValue(),
                        p.description() == null ? "" : " — " + p.description());
            }
        }
        out.println("Tasks:");
        for (TaskSpec task : report.spec().tasks()) {
            out.printf(
                    "  %s (%s)%s%n",
                    task.name(),
                    task.type().yamlName(),
                    task.dependencies().isEmpty() ? "" : " after " + String.join(", ", task.dependencies()));
        }
        return ExitCodes.SUCCESS;
    }

    /** Its runs that run and wait, against the latest version's {@code max_active_runs}. */
    private static void printRuns(DagReport report, PrintWriter out) {
        DagSummary dag = report.dag();
        if (dag.maxActiveRuns() == null && dag.waitingRuns().isEmpty()) {
            return;
        }
        out.printf(
                "Runs: %d running%s, %d waiting%s%n",
                dag.activeRuns(),
                dag.maxActiveRuns() == null
                        ? " (no max_active_runs)"
                        : " (max_active_runs " + dag.maxActiveRuns() + ")",
                dag.waitingRuns().size(),
                dag.waitingRuns().isEmpty() ? "" : ", next: " + firstRuns(dag.waitingRuns()));
    }

    private static String firstRuns(List<String> runIds) {
        int shown = Math.min(runIds.size(), RUNS_SHOWN);
        return String.join(", ", runIds.subList(0, shown)) + (runIds.size() > shown ? ", …" : "");
    }

    /** The shown version's schedule; the next run only for the latest version, the one whose schedule runs. */
    private static void printSchedule(DagReport report, PrintWriter out) {
        ScheduleSpec schedule = report.spec().schedule();
        boolean latest = report.version() == report.dag().version();
        String when = latest
                ? "; next run "
                        + (report.dag().nextRunAt() == null
                                ? "none (paused, or past its end)"
                                : report.dag().nextRunAt())
                : " (not in effect: the latest version, " + report.dag().version() + ", "
                        + (report.dag().schedule() == null
                                ? "has no schedule"
                                : "runs on " + report.dag().schedule())
                        + ")";
        if (schedule != null) {
            out.printf(
                    "Schedule: %s, catchup %s, overlap %s%s%n",
                    schedule.describe(),
                    schedule.catchup().yamlName(),
                    schedule.overlap().yamlName(),
                    when);
        } else if (!latest && report.dag().schedule() != null) {
            out.printf("Schedule: none in this version%s%n", when);
        }
    }
}
