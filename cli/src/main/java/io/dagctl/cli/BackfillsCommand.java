package io.dagctl.cli;

import io.dagctl.cli.api.BackfillClient;
import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.cli.output.BackfillTable;
import io.dagctl.core.event.Events;
import io.dagctl.core.model.Backfill;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "backfills",
        mixinStandardHelpOptions = true,
        description = "Lists a stored DAG's backfills, newest first (the running ones and the latest that ended),"
                + " with their progress; --cancel ID stops one (no tick of it starts any more, its running runs are"
                + " cancelled).",
        footer = {"", "Examples:", "  dagctl backfills nightly_etl", "  dagctl backfills nightly_etl --cancel 2"})
public class BackfillsCommand extends ClientCommand {

    @Parameters(index = "0", description = "the stored DAG's name")
    String name;

    @Option(names = "--cancel", paramLabel = "ID", description = "cancel this backfill")
    Integer cancel;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        List<Backfill> backfills = cancel == null
                ? new BackfillClient(api).backfills(name)
                : List.of(new BackfillClient(api).cancelBackfill(name, cancel));
        if (json) {
            out.println(Events.toJsonText(backfills));
            return ExitCodes.SUCCESS;
        }
        out.println(BackfillTable.table(backfills));
        if (cancel == null) {
            out.printf("%d backfill(s)%n", backfills.size());
        }
        return ExitCodes.SUCCESS;
    }
}
