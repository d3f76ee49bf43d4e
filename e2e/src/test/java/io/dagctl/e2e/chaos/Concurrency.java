package io.dagctl.e2e.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What tasks recorded themselves, one line each at start and end ({@code start <task> <epoch nanos>}, {@code end ...}):
 * the most that ran at once, how many starts were of a task that had started before, and how many starts never wrote
 * their end (their worker was killed, and the task's processes with it).
 */
record Concurrency(int most, long duplicates, int cutShort) {

    static Concurrency read(Path effects) throws IOException {
        return read(effects, List.of());
    }

    /**
     * @param killsNanos when workers were killed (epoch nanos): a start without its end before the task's next start
     *     ended at the first kill after it; one with no kill after it is counted as running to the end
     */
    static Concurrency read(Path effects, List<Long> killsNanos) throws IOException {
        List<String> lines = Files.exists(effects) ? Files.readAllLines(effects) : List.of();
        Map<String, List<long[]>> byTask = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            byTask.computeIfAbsent(parts[1], t -> new ArrayList<>())
                    .add(new long[] {Long.parseLong(parts[2]), parts[0].equals("start") ? 1 : -1});
        }
        List<long[]> changes = new ArrayList<>();
        long duplicates = 0;
        int cutShort = 0;
        for (List<long[]> events : byTask.values()) {
            events.sort((a, b) -> Long.compare(a[0], b[0]));
            Long open = null;
            int starts = 0;
            for (long[] event : events) {
                changes.add(event);
                if (event[1] > 0) {
                    if (open != null) {
                        cutShort++;
                        closeAtKill(open, killsNanos, changes);
                    }
                    open = event[0];
                    starts++;
                } else {
                    open = null;
                }
            }
            if (open != null) {
                cutShort++;
                closeAtKill(open, killsNanos, changes);
            }
            duplicates += Math.max(0, starts - 1);
        }
        // at one instant, an end counts before a start: a place freed and taken again is not two at once
        changes.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int running = 0;
        int most = 0;
        for (long[] change : changes) {
            running += (int) change[1];
            most = Math.max(most, running);
        }
        return new Concurrency(most, duplicates, cutShort);
    }

    private static void closeAtKill(long start, List<Long> killsNanos, List<long[]> changes) {
        killsNanos.stream().filter(k -> k >= start).min(Long::compare).ifPresent(k -> changes.add(new long[] {k, -1}));
    }

    /** The workers (the 4th field of a start line) of the starts without an end so far: tasks running now. */
    static Set<String> runningOn(Path effects) throws IOException {
        List<String> lines = Files.exists(effects) ? Files.readAllLines(effects) : List.of();
        Map<String, String> open = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            if (parts[0].equals("start") && parts.length > 3) {
                open.put(parts[1], parts[3]);
            } else if (parts[0].equals("end")) {
                open.remove(parts[1]);
            }
        }
        return new HashSet<>(open.values());
    }
}
