package io.dagctl.cli.output;

import com.github.freva.asciitable.AsciiTable;
import com.github.freva.asciitable.Column;
import com.github.freva.asciitable.ColumnData;
import com.github.freva.asciitable.HorizontalAlign;
import io.dagctl.core.model.Backfill;
import java.time.Instant;
import java.util.List;
import java.util.function.Function;

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

    private static ColumnData<Backfill> left(String header, Function<Backfill, String> value) {
        return new Column().header(header).dataAlign(HorizontalAlign.LEFT).with(value);
    }

    private static ColumnData<Backfill> right(String header, Function<Backfill, String> value) {
        return new Column().header(header).dataAlign(HorizontalAlign.RIGHT).with(value);
    }
}
