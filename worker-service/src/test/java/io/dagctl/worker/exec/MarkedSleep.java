package io.dagctl.worker.exec;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.awaitility.core.ConditionTimeoutException;

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
    public boolean awaitRunning(long count, Duration timeout) {
        return within(timeout, Duration.ofMillis(20), () -> running() >= count);
    }

    /** Waits until none of these sleeps runs; false if some still do after {@code timeout}. */
    public boolean awaitGone(Duration timeout) {
        return within(timeout, Duration.ofMillis(50), () -> running() == 0);
    }

    private static boolean within(Duration timeout, Duration poll, Callable<Boolean> condition) {
        try {
            await().atMost(timeout).pollInterval(poll).until(condition);
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
