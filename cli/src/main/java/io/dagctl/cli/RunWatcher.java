package io.dagctl.cli;

import io.dagctl.cli.api.ApiException;
import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.cli.output.ReportTable;
import io.dagctl.cli.output.RunProgress;
import io.dagctl.core.event.Events;
import io.dagctl.core.report.RunReport;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Follows a run to its end with live progress, then prints its table (or JSON). */
final class RunWatcher {

    private static final Duration POLL_AT_MOST_EVERY = Duration.ofMillis(150);
    private static final Duration POLL_AT_LEAST_EVERY = Duration.ofSeconds(2);

    private RunWatcher() {}

    /**
     * Polls until the run ends. {@code trouble} is asked between polls for a reason to give up (a local service died);
     * returns null after printing that reason.
     */
    static RunReport follow(
            CoordinatorClient client, String runId, int tasks, PrintWriter err, Supplier<String> trouble)
            throws ApiException, InterruptedException {
        // a report carries every task: ask less often for large runs so that watching does not slow the run down
        long pollMillis = Math.min(POLL_AT_LEAST_EVERY.toMillis(), Math.max(POLL_AT_MOST_EVERY.toMillis(), tasks / 2L));
        try (RunProgress progress = new RunProgress(tasks, System.console() != null, err)) {
            while (true) {
                Optional<RunReport> report = client.report(runId);
                if (report.isPresent()) {
                    progress.update(report.get());
                    if (report.get().status().isTerminal()) {
                        return report.get();
                    }
                }
                String reason = trouble.get();
                if (reason != null) {
                    err.println("dagctl: " + reason);
                    return null;
                }
                Thread.sleep(pollMillis);
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
