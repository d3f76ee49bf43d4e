package io.dagctl.worker.exec;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Stops a task and everything it started. Tasks are launched with {@code setsid}, so each leads its own process group:
 * signalling the group reaches grandchildren even after their parent died and they were re-parented. The keeper sends
 * group signals with its built-in {@code kill} (no process per signal); without it the {@code kill} command does.
 * Descendants found through the process table are signalled too, for systems without {@code setsid}.
 */
final class ProcessTree {

    private final ProcessKeeper keeper;
    private final boolean ownGroup;

    ProcessTree(ProcessKeeper keeper, boolean ownGroup) {
        this.keeper = keeper;
        this.ownGroup = ownGroup;
    }

    /** SIGTERM to the whole tree, then SIGKILL to whatever is left after {@code grace}. */
    void terminate(Process process, Duration grace) {
        List<ProcessHandle> seen =
                new ArrayList<>(process.toHandle().descendants().toList());
        signalGroup(process.pid(), "TERM");
        process.destroy();
        seen.forEach(ProcessHandle::destroy);
        try {
            process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (process.isAlive()) {
            seen.addAll(process.toHandle().descendants().toList());
        }
        signalGroup(process.pid(), "KILL");
        process.destroyForcibly();
        seen.forEach(ProcessHandle::destroyForcibly);
    }

    private void signalGroup(long pgid, String signal) {
        if (!ownGroup || keeper.signalGroup(pgid, signal)) {
            return;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            kill.waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            // no kill binary: the per-process signals above still apply
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
