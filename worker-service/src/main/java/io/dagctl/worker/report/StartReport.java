package io.dagctl.worker.report;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

/**
 * An attempt's start report, held back for a short while: an attempt that ends before it goes out is reported by its
 * result alone, which carries the start time too. That is one record instead of two for a short task, and for its
 * coordinator one state change instead of two and no lease timer written and deleted.
 *
 * <p>Sending and withdrawing exclude each other, so once {@link #withdraw} returns, a start that was sent was handed
 * to the producer before anything the caller sends next: a result never overtakes its start.
 */
public final class StartReport {

    private final Supplier<CompletableFuture<Void>> send;
    private final Runnable settled;
    private final CompletableFuture<Void> stored = new CompletableFuture<>();
    private ScheduledFuture<?> due;
    private boolean sent;
    private boolean withdrawn;

    /** @param settled called once the start was sent or withdrawn */
    StartReport(Supplier<CompletableFuture<Void>> send, Runnable settled) {
        this.send = send;
        this.settled = settled;
    }

    synchronized void dueAt(ScheduledFuture<?> timer) {
        this.due = timer;
    }

    /** Sends the start unless it was sent or withdrawn already. */
    synchronized void send() {
        if (sent || withdrawn) {
            return;
        }
        sent = true;
        settled.run();
        send.get().whenComplete((ok, error) -> {
            if (error != null) {
                stored.completeExceptionally(error);
            } else {
                stored.complete(null);
            }
        });
    }

    /** The attempt ended: a start not sent yet never is. */
    public synchronized void withdraw() {
        if (!sent && !withdrawn) {
            settled.run();
        }
        withdrawn = true;
        if (due != null) {
            due.cancel(false);
        }
    }

    /** Completes when Kafka has the start; never, when it was withdrawn before it went out. */
    public CompletableFuture<Void> stored() {
        return stored;
    }
}
