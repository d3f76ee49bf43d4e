package io.dagctl.cli;

import io.dagctl.cli.api.ApiException;
import io.dagctl.cli.api.BackfillClient;
import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.cli.output.BackfillProgress;
import io.dagctl.cli.output.BackfillTable;
import io.dagctl.core.event.Events;
import io.dagctl.core.model.Backfill;
import io.dagctl.core.model.RunStatus;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "backfill",
        mixinStandardHelpOptions = true,
        description = "Runs the ticks of a stored DAG's schedule from --from to --to (both included), oldest first,"
                + " at most --max-parallel at once; a tick that already has a run is skipped unless --rerun. Prints"
                + " the backfill's number; with --wait, shows its progress and exits 0 when every tick succeeded"
                + " (or was skipped), 1 otherwise.",
        footer = {
            "",
            "Times are ISO-8601 (2026-01-01T02:00:00Z) or dates (2026-01-01, UTC midnight).",
            "",
            "Example:",
            "  dagctl backfill nightly_etl --from 2026-11-01 --to 2026-11-30 --max-parallel 4 --wait"
        })
public class BackfillCommand extends ClientCommand {

    private static final long POLL_MILLIS = 500;

    @Parameters(index = "0", description = "the stored DAG's name")
    String name;

    @Option(names = "--from", required = true, description = "the first tick time of the window")
    String from;

    @Option(names = "--to", required = true, description = "the last tick time of the window (not in the future)")
    String to;

    @Option(names = "--max-parallel", description = "runs at once, 1 to 64 (default 4)")
    Integer maxParallel;

    @Option(names = "--rerun", description = "run ticks that already have a run again, as new runs")
    boolean rerun;

    @Option(names = "--param", description = "NAME=value, repeatable, checked against the DAG's params")
    Map<String, String> params = new LinkedHashMap<>();

    @Option(names = "--idempotency-key", description = "backfilling again with the same key finds the same backfill")
    String idempotencyKey;

    @Option(names = "--wait", description = "follow the backfill to its end, with progress")
    boolean await;

    @Option(names = "--json", description = "print the backfill as JSON")
    boolean json;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        BackfillClient backfills = new BackfillClient(api);
        BackfillClient.Backfilled started =
                backfills.backfill(name, from, to, maxParallel, rerun, params, idempotencyKey);
        if (started.backfill() == null) {
            started.problems().forEach(p -> err.println(name + ":" + p));
            return ExitCodes.INVALID_INPUT;
        }
        Backfill backfill = started.backfill();
        err.printf(
                "dagctl: backfill %d of DAG '%s'%s: %d tick(s) from %s to %s, at most %d at once%n",
                backfill.id(),
                name,
                started.existing() ? " (existing)" : "",
                backfill.ticks(),
                backfill.from(),
                backfill.to(),
                backfill.maxParallel());
        if (!await) {
            out.println(json ? Events.toJsonText(backfill) : String.valueOf(backfill.id()));
            return ExitCodes.SUCCESS;
        }
        backfill = follow(backfills, backfill, err);
        out.println(json ? Events.toJsonText(backfill) : BackfillTable.table(List.of(backfill)));
        return backfill.status() == RunStatus.SUCCESS ? ExitCodes.SUCCESS : ExitCodes.RUN_FAILED;
    }

    /** Polls until no tick of it starts any more and its runs have ended. */
    private Backfill follow(BackfillClient backfills, Backfill backfill, PrintWriter err)
            throws ApiException, InterruptedException {
        try (BackfillProgress progress = new BackfillProgress(backfill.ticks(), System.console() != null, err)) {
            while (true) {
                progress.update(backfill);
                if (!backfill.isActive() && backfill.running().isEmpty()) {
                    return backfill;
                }
                Thread.sleep(POLL_MILLIS);
                backfill = backfills.backfillProgress(name, backfill.id());
            }
        }
    }
}
