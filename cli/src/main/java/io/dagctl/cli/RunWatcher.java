package io.dagctl.cli;

import io.dagctl.cli.api.ApiException;
import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.cli.api.RunEventStream;
import io.dagctl.cli.output.ReportTable;
import io.dagctl.cli.output.RunProgress;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.RunReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Follows a run to its end with live progress, then prints its table (or JSON). The coordinator pushes the run's state
 * changes (Server-Sent Events); the full report is read once, when the run has ended.
 */
final class RunWatcher {

    private static final Duration ASK_FOR_TROUBLE_EVERY = Duration.ofMillis(500);
    private static final Duration REOPEN_FIRST_AFTER = Duration.ofMillis(25);
    private static final Duration REOPEN_AT_MOST_AFTER = Duration.ofSeconds(2);
    private static final Duration REPORT_RETRY = Duration.ofMillis(50);

    /**
     * How long a stream may stay silent before it is given up as dead (three keep-alives missed: the connection is dead
     * even if the socket does not say so), and how long a run may stay unknown (just submitted, or the instance moving)
     * before it is said not to exist.
     */
    record Patience(Duration silentAtMost, Duration unknownAtMost) {
        static final Patience DEFAULT = new Patience(Duration.ofSeconds(30), Duration.ofSeconds(60));
    }

    private RunWatcher() {}

    /**
     * Follows the run until it ends and returns its report. {@code trouble} is asked at least every half second for a
     * reason to give up (a local service died); returns null after printing that reason.
     */
    static RunReport follow(
            CoordinatorClient client, String runId, int tasks, PrintWriter err, Supplier<String> trouble)
            throws ApiException, InterruptedException {
        return follow(client, runId, tasks, err, trouble, Patience.DEFAULT);
    }

    static RunReport follow(
            CoordinatorClient client,
            String runId,
            int tasks,
            PrintWriter err,
            Supplier<String> trouble,
            Patience patience)
            throws ApiException, InterruptedException {
        TaskStatusCounts counts = new TaskStatusCounts();
        long reopenAfter = REOPEN_FIRST_AFTER.toMillis();
        long unknownSince = System.nanoTime();
        try (RunProgress progress = new RunProgress(tasks, System.console() != null, err)) {
            while (true) {
                try (RunEventStream stream = client.runEvents(runId)) {
                    while (true) {
                        RunEventStream.Item item = stream.next(ASK_FOR_TROUBLE_EVERY);
                        if (gaveUp(trouble, err)) {
                            return null;
                        }
                        if (item instanceof RunEventStream.Event pushed) {
                            RunEvent event = pushed.event();
                            if (event.isRunEnd()) {
                                return endedReport(client, runId, trouble, err, patience);
                            }
                            reopenAfter = REOPEN_FIRST_AFTER.toMillis();
                            unknownSince = System.nanoTime();
                            if (counts.apply(event)) {
                                progress.update(counts.byStatus());
                            }
                        } else if (item instanceof RunEventStream.Ended ended) {
                            if (ended.status() == 401 || ended.status() == 403 || ended.status() == 400) {
                                throw client.refused(ended, runId);
                            }
                            break;
                        } else if (stream.silentFor().compareTo(patience.silentAtMost()) > 0) {
                            break;
                        }
                    }
                }
                // the stream ended before the run did: the coordinator did not know the run yet (just submitted), the
                // connection broke or went silent. The report says whether the run ended in the meantime.
                Optional<RunReport> report = client.report(runId);
                if (report.isPresent() && report.get().status().isTerminal()) {
                    return report.get();
                }
                if (report.isPresent()) {
                    unknownSince = System.nanoTime();
                } else if (System.nanoTime() - unknownSince
                        > patience.unknownAtMost().toNanos()) {
                    throw new ApiException(
                            ExitCodes.INVALID_INPUT,
                            "run " + runId + " is not known to the coordinator at " + client.baseUrl() + " (asked for "
                                    + patience.unknownAtMost().toSeconds() + " s)");
                }
                if (gaveUp(trouble, err)) {
                    return null;
                }
                Thread.sleep(reopenAfter);
                reopenAfter = Math.min(REOPEN_AT_MOST_AFTER.toMillis(), reopenAfter * 2);
            }
        }
    }

    /** The report of a run whose end was pushed; the instance answering may be a moment behind the event. */
    private static RunReport endedReport(
            CoordinatorClient client, String runId, Supplier<String> trouble, PrintWriter err, Patience patience)
            throws ApiException, InterruptedException {
        long until = System.nanoTime() + patience.unknownAtMost().toNanos();
        while (true) {
            Optional<RunReport> report = client.report(runId);
            if (report.isPresent() && report.get().status().isTerminal()) {
                return report.get();
            }
            if (gaveUp(trouble, err)) {
                return null;
            }
            if (System.nanoTime() > until) {
                throw new ApiException(
                        ExitCodes.UNAVAILABLE,
                        "run " + runId + " ended, but the coordinator at " + client.baseUrl()
                                + " did not give its final report within "
                                + patience.unknownAtMost().toSeconds()
                                + " s");
            }
            Thread.sleep(REPORT_RETRY.toMillis());
        }
    }

    private static boolean gaveUp(Supplier<String> trouble, PrintWriter err) {
        String reason = trouble.get();
        if (reason != null) {
            err.println("dagctl: " + reason);
        }
        return reason != null;
    }

    /** Each task's latest state from the run's events, and how many tasks are in each state, kept as they change. */
    private static final class TaskStatusCounts {
        private final Map<String, TaskStatus> latest = new HashMap<>();
        private final Map<TaskStatus, Long> counts = new EnumMap<>(TaskStatus.class);

        /** True when the counts changed. */
        boolean apply(RunEvent event) {
            TaskStatus status = knownStatus(event.status());
            if (event.task() == null || status == null) {
                return false;
            }
            TaskStatus before = latest.put(event.task(), status);
            if (before == status) {
                return false;
            }
            if (before != null) {
                counts.merge(before, -1L, Long::sum);
            }
            counts.merge(status, 1L, Long::sum);
            return true;
        }

        Map<TaskStatus, Long> byStatus() {
            return counts;
        }

        private static TaskStatus knownStatus(String status) {
            try {
                return status == null ? null : TaskStatus.valueOf(status);
            } catch (IllegalArgumentException e) {
                return null; // a state this CLI does not know (a newer server's): the final report still has it
            }
        }
    }

    static void print(RunReport report, boolean json, PrintWriter out) {
        if (json) {
            out.println(Events.toJsonText(report));
        } else {
            out.println(ReportTable.table(report));
            String reasons = ReportTable.reasons(report);
            if (!reasons.isEmpty()) {
                out.print(reasons);
            }
            out.println(ReportTable.summary(report));
            String jaeger = System.getenv("DAGCTL_JAEGER_URL");
            if (jaeger != null && !jaeger.isBlank() && report.traceId() != null) {
                out.println("Trace in Jaeger: " + jaeger.replaceAll("/+$", "") + "/trace/" + report.traceId());
            }
        }
        out.flush();
    }
}
