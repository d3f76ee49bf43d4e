package io.dagctl.e2e.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What tasks recorded themselves, one line each at start and end ({@code start <task> <epoch nanos>}, {@code end ...}):
 * the most that ran at once, and how many starts were of a task that had started before.
 */
record Concurrency(int most, long duplicates) {

    static Concurrency read(Path effects) throws IOException {
        List<String> lines = Files.exists(effects) ? Files.readAllLines(effects) : List.of();
        List<long[]> changes = new ArrayList<>();
        Map<String, Integer> startsByTask = new HashMap<>();
        for (String line : lines) {
            String[] parts = line.split(" ");
            boolean start = parts[0].equals("start");
            changes.add(new long[] {Long.parseLong(parts[2]), start ? 1 : -1});
            if (start) {
                startsByTask.merge(parts[1], 1, Integer::sum);
            }
        }
        // at one instant, an end counts before a start: a place freed and taken again is not two at once
        changes.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int running = 0;
        int most = 0;
        for (long[] change : changes) {
            running += (int) change[1];
            most = Math.max(most, running);
        }
        return new Concurrency(
                most, startsByTask.values().stream().mapToLong(n -> n - 1).sum());
    }
}
