package io.dagctl.cli;

import static io.dagctl.cli.output.Columns.left;
import static io.dagctl.cli.output.Columns.right;

import com.github.freva.asciitable.AsciiTable;
import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.cli.output.Durations;
import io.dagctl.core.event.Events;
import io.dagctl.core.report.DagPage;
import io.dagctl.core.report.DagSummary;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the stored DAGs by name.")
public class DagsListCommand extends ClientCommand {

    @Option(names = "--json", description = "print the listing as JSON")
    boolean json;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        DagPage page = api.dags();
        if (json) {
            out.println(Events.toJsonText(page));
            return ExitCodes.SUCCESS;
        }
        out.println(AsciiTable.getTable(
                AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS,
                page.dags(),
                List.of(
                        left("NAME", DagSummary::name),
                        right("VERSION", d -> String.valueOf(d.version())),
                        left("PAUSED", d -> d.paused() ? "yes" : "no"),
                        right("TASKS", d -> String.valueOf(d.tasks())),
                        left("PARAMS", d -> d.params().isEmpty() ? "-" : String.join(",", d.params())),
                        left("SCHEDULE", d -> d.schedule() == null ? "-" : d.schedule()),
                        left("NEXT RUN (UTC)", d -> time(d.nextRunAt())),
                        right("RUNNING", DagsListCommand::running),
                        left("LAST RUN", d -> d.lastRunId() == null ? "-" : d.lastRunId()),
                        left(
                                "STATUS",
                                d -> d.lastRunStatus() == null
                                        ? "-"
                                        : d.lastRunStatus().name()),
                        left("UPDATED (UTC)", d -> time(d.updatedAt())))));
        out.printf("%d DAG(s)%n", page.total());
        return ExitCodes.SUCCESS;
    }

    private static String time(Instant at) {
        return at == null ? "-" : Durations.utc(at);
    }

    /** Its running runs, against {@code max_active_runs} when it has one, and how many wait: {@code 2/2 +3 waiting}. */
    static String running(DagSummary d) {
        String running = d.activeRuns() + (d.maxActiveRuns() == null ? "" : "/" + d.maxActiveRuns());
        return d.waitingRuns().isEmpty()
                ? running
                : running + " +" + d.waitingRuns().size() + " waiting";
    }
}
