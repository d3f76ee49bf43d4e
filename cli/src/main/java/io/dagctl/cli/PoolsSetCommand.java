package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.core.model.Pools;
import io.dagctl.core.report.PoolReport;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
        name = "set",
        mixinStandardHelpOptions = true,
        description = "Sets a pool's slots, creating it if it is new. Fewer slots than are in use let running tasks"
                + " finish; nothing new starts until the pool is under its size.")
public class PoolsSetCommand extends ClientCommand {

    @Parameters(index = "0", description = "the pool's name")
    String name;

    @Parameters(index = "1", description = "how many slots it has, 0 to 100000")
    int slots;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        if (!Pools.isValid(name)) {
            err.println("dagctl: invalid pool name '" + name + "': " + Pools.NAME_RULE + " characters");
            return ExitCodes.INVALID_INPUT;
        }
        if (slots < 0 || slots > Pools.MAX_SLOTS) {
            err.println("dagctl: a pool has 0 to " + Pools.MAX_SLOTS + " slots, got " + slots);
            return ExitCodes.INVALID_INPUT;
        }
        PoolReport pool = api.setPool(name, slots);
        if (pool == null) {
            out.printf("Pool '%s': %d slot(s) accepted; its owner has not applied it yet%n", name, slots);
        } else {
            out.printf(
                    "Pool '%s': %d slot(s), %d in use, %d waiting%n",
                    pool.name(), pool.slots(), pool.inUse(), pool.waiting());
        }
        return ExitCodes.SUCCESS;
    }
}
