package io.dagctl.worker.telemetry;

/**
 * Busy slot-seconds so far: the integral of busy slots over time. Its rate divided by the slot count is the worker's
 * utilisation over any window, which an instantaneous gauge sampled every scrape cannot give.
 */
final class SlotTime {

    private int busy;
    private long lastChangeNanos = System.nanoTime();
    private double busyNanos;

    synchronized void changed(int busyNow) {
        long now = System.nanoTime();
        busyNanos += (double) busy * (now - lastChangeNanos);
        lastChangeNanos = now;
        busy = busyNow;
    }

    synchronized double busySeconds() {
        return (busyNanos + (double) busy * (System.nanoTime() - lastChangeNanos)) / 1e9;
    }
}
