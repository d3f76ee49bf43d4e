package io.dagctl.cli.output;

import static io.dagctl.cli.output.Columns.left;
import static io.dagctl.cli.output.Columns.right;

import com.github.freva.asciitable.AsciiTable;
import io.dagctl.core.model.Backfill;
import java.time.Instant;
import java.util.List;

/** Backfills as a table: window, progress by outcome, parallelism. */
public final class BackfillTable {

    private BackfillTable() {}

    public static String table(List<Backfill> backfills) {
        return AsciiTable.getTable(
                AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS,
                backfills,
                List.of(
                        right("ID", b -> String.valueOf(b.id())),
                        left("STATUS", b -> b.status().name()),
                        right("VERSION", b -> String.valueOf(b.version())),
                        left("FROM (UTC)", b -> time(b.from())),
                        left("TO (UTC)", b -> time(b.to())),
                        right("TICKS", b -> String.valueOf(b.ticks())),
                        right("DONE", b -> String.valueOf(b.done())),
                        right("RUNNING", b -> String.valueOf(b.running().size())),
                        right("SUCCEEDED", b -> String.valueOf(b.succeeded())),
                        right("FAILED", b -> String.valueOf(b.failed())),
                        right("CANCELLED", b -> String.valueOf(b.cancelled())),
                        right("SKIPPED", b -> String.valueOf(b.skipped())),
                        right("PARALLEL", b -> String.valueOf(b.maxParallel())),
                        left("RERUN", b -> b.rerun() ? "yes" : "no"),
                        left("CREATED (UTC)", b -> time(b.createdAt()))));
    }

    private static String time(Instant at) {
        return at == null ? "-" : Durations.utc(at);
    }
}
