package io.dagctl.coordinator.api;

import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Read-your-writes for the API: a command is durable in Kafka once written, and its answer waits (bounded) until the
 * owner has applied it, so that a read sent right after the answer sees it.
 */
final class Waiting {

    private static final long POLL_MILLIS = 5;

    private Waiting() {}

    /**
     * Asks {@code read} until it gives something (a problem answer counts as not yet), for at most {@code wait}.
     *
     * @return what it gave, or null when it gave nothing in time
     */
    static <T> T until(Duration wait, Supplier<T> read) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                T value = read.get();
                if (value != null) {
                    return value;
                }
            } catch (WebApplicationException notYet) {
                // not applied yet, or its owner is moving
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
