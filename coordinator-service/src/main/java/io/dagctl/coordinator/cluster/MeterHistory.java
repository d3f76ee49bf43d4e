package io.dagctl.coordinator.cluster;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last minutes of this instance's own meters, sampled every few seconds into a fixed ring: what the cluster page
 * draws without a Prometheus. Its size never grows past {@link #KEPT} samples.
 */
public final class MeterHistory {

    public static final int KEPT = 120;

    /**
     * One sample: over the interval that ended {@code atMillis}, tasks dispatched and finished per second and the mean
     * dispatch latency (ms, null without dispatches); the queue depth and running tasks at its end.
     */
    public record Sample(
            long atMillis,
            double dispatchedPerSec,
            double finishedPerSec,
            Double dispatchLatencyMs,
            long queued,
            long running) {}

    /** Cumulative readings of the meters, from which a sample is the difference with the previous reading. */
    public record Reading(
            long atMillis,
            double dispatched,
            double finished,
            long latencyCount,
            double latencyTotalMs,
            long queued,
            long running) {}

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private Reading last;

    public synchronized void add(Reading now) {
        if (last != null && now.atMillis() > last.atMillis()) {
            double seconds = (now.atMillis() - last.atMillis()) / 1000.0;
            long latencies = now.latencyCount() - last.latencyCount();
            samples.addLast(new Sample(
                    now.atMillis(),
                    Math.max(0, now.dispatched() - last.dispatched()) / seconds,
                    Math.max(0, now.finished() - last.finished()) / seconds,
                    latencies > 0 ? (now.latencyTotalMs() - last.latencyTotalMs()) / latencies : null,
                    now.queued(),
                    now.running()));
            while (samples.size() > KEPT) {
                samples.removeFirst();
            }
        }
        last = now;
    }

    public synchronized List<Sample> samples() {
        return new ArrayList<>(samples);
    }
}
