package io.dagctl.cli;

import picocli.CommandLine.Command;

@Command(name = "unpause", mixinStandardHelpOptions = true, description = "Unpauses a stored DAG.")
public class DagsUnpauseCommand extends DagsPauseCommand {

    @Override
    boolean paused() {
        return false;
    }
}
