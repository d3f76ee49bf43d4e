package io.dagctl.e2e.chaos;

import io.dagctl.core.event.RunEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Recovery times read from a run's event log. */
public final class Gaps {

    private Gaps() {}

    /** Kill of the owning coordinator → the next dispatch (QUEUED event) of the run by the new owner. */
    public static Long failover(List<RunEvent> events, Instant killedAt) {
        return events.stream()
                .filter(e -> e.at().isAfter(killedAt) && "QUEUED".equals(e.status()))
                .map(e -> e.at().toEpochMilli() - killedAt.toEpochMilli())
                .findFirst()
                .orElse(null);
    }

    /**
     * Kill of a worker → the first sign that an attempt it was running goes on elsewhere: a new attempt queued, the
     * same attempt started on another worker, or its end reported by another worker. Null when it ran nothing.
     */
    static Long deadWorker(List<RunEvent> events, Instant killedAt, String workerId) {
        Map<String, RunEvent> lastBefore = new HashMap<>();
        for (RunEvent e : events) {
            if (e.task() != null && !e.at().isAfter(killedAt)) {
                lastBefore.put(e.task(), e);
            }
        }
        List<String> affected = new ArrayList<>();
        lastBefore.forEach((task, e) -> {
            if ("RUNNING".equals(e.status()) && workerId.equals(e.workerId())) {
                affected.add(task);
            }
        });
        Long gap = null;
        for (RunEvent e : events) {
            if (e.task() == null || !e.at().isAfter(killedAt) || !affected.contains(e.task())) {
                continue;
            }
            boolean movedOn = ("QUEUED".equals(e.status())
                            && e.attempt() > lastBefore.get(e.task()).attempt())
                    || (e.workerId() != null && !workerId.equals(e.workerId()));
            if (movedOn) {
                long ms = e.at().toEpochMilli() - killedAt.toEpochMilli();
                gap = gap == null ? ms : Math.min(gap, ms);
            }
        }
        return gap;
    }

    static Long median(List<Long> values) {
        List<Long> present = values.stream().filter(v -> v != null).sorted().toList();
        return present.isEmpty() ? null : present.get(present.size() / 2);
    }
}
