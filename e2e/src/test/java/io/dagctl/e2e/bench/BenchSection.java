package io.dagctl.e2e.bench;

import io.dagctl.core.event.Events;
import io.dagctl.e2e.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a benchmark that keeps its own section of BENCHMARKS.md writes: e2e/target/NAME.json and NAME.md always, the
 * section (between its markers; BenchIT rewrites the rest of the file and keeps it) only for a full run.
 */
final class BenchSection {

    private BenchSection() {}

    /** Writes the result and its table, and prints the table; returns the result as JSON. */
    static String write(Class<?> benchmark, String name, Map<String, Object> result, String table, boolean quick)
            throws Exception {
        String json = Events.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(result);
        Path target = RepoPaths.root().resolve("e2e/target");
        Files.createDirectories(target);
        Files.writeString(target.resolve(name + ".json"), json);
        Files.writeString(target.resolve(name + ".md"), table);
        if (!quick) {
            replace(RepoPaths.root().resolve("BENCHMARKS.md"), benchmark.getSimpleName(), name, table);
        }
        System.out.println(table);
        return json;
    }

    /** Replaces the section between {@code <!-- NAME: ... -->} and {@code <!-- /NAME -->}, or appends it. */
    private static void replace(Path report, String writer, String name, String table) throws Exception {
        String startMarker = "<!-- " + name + ": written by " + writer + " -->";
        String endMarker = "<!-- /" + name + " -->";
        String old = Files.exists(report) ? Files.readString(report) : "";
        String section = startMarker + "\n" + table + endMarker + "\n";
        int start = old.indexOf(startMarker);
        int end = old.indexOf(endMarker);
        String updated = start >= 0 && end > start
                ? old.substring(0, start) + section + old.substring(end + endMarker.length() + 1)
                : old + "\n" + section;
        Files.writeString(report, updated);
    }
}
