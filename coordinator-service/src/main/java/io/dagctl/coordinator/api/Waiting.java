package io.dagctl.coordinator.api;

import jakarta.ws.rs.WebApplicationException;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * Read-your-writes for the API: a command is durable in Kafka once written, and its answer waits (bounded) until the
 * owner has applied it, so that a read sent right after the answer sees it. The reads back off (5 ms, doubling up to
 * 100 ms): an owner that answers at once is seen at once, and one that is behind is not asked hundreds of times a
 * second by every waiting request (32 clients storing DAGs while the owner was busy spent more CPU reading than it).
 */
final class Waiting {

    private static final long FIRST_POLL_MILLIS = 5;
    private static final long MAX_POLL_MILLIS = 100;

    private Waiting() {}

    /**
     * Asks {@code read} until it gives something (a problem answer counts as not yet), for at most {@code wait}.
     *
     * @return what it gave, or null when it gave nothing in time
     */
    static <T> T until(Duration wait, Supplier<T> read) {
        long deadline = System.nanoTime() + wait.toNanos();
        long pause = FIRST_POLL_MILLIS;
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
                Thread.sleep(Math.min(pause, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
                pause = Math.min(MAX_POLL_MILLIS, pause * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }
}
