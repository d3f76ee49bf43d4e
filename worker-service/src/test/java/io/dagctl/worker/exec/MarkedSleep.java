package io.dagctl.worker.exec;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A {@code sleep} whose argument is unique ({@code sleep 300.<9 random digits>}), so a test can find the processes it
 * started by their command line (argv[0] tricks do not show in {@link ProcessHandle.Info#commandLine()}).
 */
public final class MarkedSleep {

    private final String argument = "300." + ThreadLocalRandom.current().nextLong(100_000_000L, 1_000_000_000L);

    public String command() {
        return "sleep " + argument;
    }

    public long running() {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info()
                        .commandLine()
                        .map(c -> c.endsWith(" " + argument))
                        .orElse(false))
                .count();
    }

    /** Waits until at least {@code count} of these sleeps run; false if they do not within {@code timeout}. */
    public boolean awaitRunning(long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running() < count) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Waits until none of these sleeps runs; false if some still do after {@code timeout}. */
    public boolean awaitGone(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (running() > 0) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }
}
