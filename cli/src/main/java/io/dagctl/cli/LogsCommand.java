package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description = "Prints a task's output (stdout and stderr, in the order they were read); -f follows it live.",
        footer = {
            "",
            "Examples:",
            "  dagctl logs 20261126-194622-bd6a3860 load",
            "  dagctl logs 20261126-194622-bd6a3860 load --attempt 1",
            "  dagctl logs 20261126-194622-bd6a3860 load -f"
        })
public class LogsCommand extends ClientCommand {

    @Parameters(index = "0", paramLabel = "RUN", description = "the run id")
    String runId;

    @Parameters(index = "1", paramLabel = "TASK", description = "the task name")
    String task;

    @Option(names = "--attempt", description = "which attempt (default: the latest)")
    Integer attempt;

    @Option(
            names = {"-f", "--follow"},
            description = "keep printing output while the task runs")
    boolean follow;

    @Override
    int run(CoordinatorClient api, PrintWriter out, PrintWriter err) throws Exception {
        api.logs(runId, task, attempt, follow, text -> {
            out.print(text);
            out.flush();
        });
        return ExitCodes.SUCCESS;
    }
}
