package io.dagctl.cli;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.HorizontalAlign;
import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.cli.output.Durations;
import io.dagctl.core.event.Events;
import io.dagctl.core.report.RunPage;
import io.dagctl.core.report.RunSummary;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "runs",
        mixinStandardHelpOptions = true,
        description = "Lists runs, newest first, a page at a time (--cursor takes the next page from where the last"
                + " ended).",
        footer = {
            "",
            "Examples:",
            "  dagctl runs",
            "  dagctl runs --status FAILED --dag nightly_etl --limit 20 -o json",
            "  dagctl runs --trigger schedule --since 2026-12-01 --until 2026-12-02T12:00:00Z"
        })
public class RunsCommand extends ClientCommand {

    enum Output {
        table,
        json
    }

    @Option(
            names = "--status",
            description = "only runs in this state: QUEUED, RUNNING, CANCELLING, SUCCESS, FAILED or CANCELLED")
    String status;

    @Option(names = "--dag", description = "only runs of this DAG")
    String dag;

    @Option(names = "--trigger", description = "only runs started this way: manual, api, schedule or backfill")
    String trigger;

    @Option(names = "--since", description = "only runs submitted at or after this time (ISO-8601 or a date, UTC)")
    String since;

    @Option(names = "--until", description = "only runs submitted at or before this time")
    String until;

    @Option(names = "--cursor", description = "the page after the one that printed this cursor")
    String cursor;

    @Option(names = "--limit", defaultValue = "50", description = "at most this many (default: ${DEFAULT-VALUE})")
    int limit;

    @Option(
            names = {"-o", "--output"},
            defaultValue = "table",
            description = "table or json (default: ${DEFAULT-VALUE})")
    Output output;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        RunPage page = api.runs(new CoordinatorClient.RunQuery(status, dag, trigger, since, until, cursor, limit));
        if (output == Output.json) {
            out.println(Events.toJsonText(page));
            return ExitCodes.SUCCESS;
        }
        out.println(AsciiTable.getTable(
                AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS,
                page.runs(),
                List.of(
                        new Column()
                                .header("RUN")
                                .dataAlign(HorizontalAlign.LEFT)
                                .with(RunSummary::runId),
                        new Column()
                                .header("DAG")
                                .dataAlign(HorizontalAlign.LEFT)
                                .with(RunSummary::dag),
                        new Column()
                                .header("STATUS")
                                .dataAlign(HorizontalAlign.LEFT)
                                .with(r -> r.status().name()),
                        new Column()
                                .header("TRIGGER")
                                .dataAlign(HorizontalAlign.LEFT)
                                .with(r -> r.trigger() == null ? "-" : r.trigger()),
                        new Column()
                                .header("LOGICAL DATE (UTC)")
                                .dataAlign(HorizontalAlign.LEFT)
                                .with(r -> r.logicalDate() == null ? "-" : Durations.utc(r.logicalDate())),
                        new Column()
                                .header("SUBMITTED (UTC)")
                                .dataAlign(HorizontalAlign.LEFT)
                                .with(r -> Durations.utc(r.submittedAt())),
                        new Column()
                                .header("DURATION")
                                .dataAlign(HorizontalAlign.RIGHT)
                                .with(r -> Durations.human(r.durationMs())),
                        new Column()
                                .header("TASKS")
                                .dataAlign(HorizontalAlign.RIGHT)
                                .with(r -> String.valueOf(r.taskCount())),
                        new Column()
                                .header("FAILED")
                                .dataAlign(HorizontalAlign.RIGHT)
                                .with(r -> String.valueOf(r.failedTasks())))));
        out.println(
                page.total() == null
                        ? page.runs().size() + " run(s)"
                        : page.runs().size() + " of " + page.total() + " run(s)");
        if (page.nextCursor() != null) {
            out.println("more: add --cursor " + page.nextCursor());
        }
        return ExitCodes.SUCCESS;
    }
}
