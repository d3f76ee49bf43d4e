package io.dagctl.cli;

import static io.dagctl.cli.output.Columns.left;
import static io.dagctl.cli.output.Columns.right;

import com.github.freva.asciitable.AsciiTable;
import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.cli.output.Durations;
import io.dagctl.core.event.Events;
import io.dagctl.core.report.PoolPage;
import io.dagctl.core.report.PoolReport;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = "Lists the pools with their slots, slots in use and waiting tasks.")
public class PoolsListCommand extends ClientCommand {

    @Option(names = "--json", description = "print the listing as JSON")
    boolean json;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        PoolPage page = api.pools();
        if (json) {
            out.println(Events.toJsonText(page));
            return ExitCodes.SUCCESS;
        }
        out.println(AsciiTable.getTable(
                AsciiTable.BASIC_ASCII_NO_DATA_SEPARATORS,
                page.pools(),
                List.of(
                        left("NAME", PoolReport::name),
                        right("SLOTS", p -> p.slots() == null ? "not set" : String.valueOf(p.slots())),
                        right("IN USE", p -> String.valueOf(p.inUse())),
                        right("FREE", p -> String.valueOf(p.free())),
                        right("WAITING", p -> String.valueOf(p.waiting())),
                        left("UPDATED (UTC)", p -> p.updatedAt() == null ? "-" : Durations.utc(p.updatedAt())))));
        out.printf("%d pool(s)%n", page.pools().size());
        return ExitCodes.SUCCESS;
    }
}
