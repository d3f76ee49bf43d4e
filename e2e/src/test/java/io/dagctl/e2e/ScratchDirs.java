package io.dagctl.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Temporary directories of test clusters: when a cluster closes its data goes (Kafka's log segments, RocksDB state,
 * work directories — hundreds of MB after a benchmark), the services' own {@code *.log} files, directly in the
 * directory or in its {@code logs/}, stay for a post-mortem.
 */
public final class ScratchDirs {

    private ScratchDirs() {}

    /** Best effort: a task process that outlived its killed worker may still be writing. */
    public static void deleteAllButLogs(Path dir) {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            // deepest first; a directory that still holds a log is not empty, so its delete fails and it stays
            paths.sorted(Comparator.reverseOrder())
                    .filter(p -> !isServiceLog(dir, p))
                    .forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            System.err.println("could not clean " + dir + ": " + e.getMessage());
        }
    }

    private static boolean isServiceLog(Path dir, Path file) {
        Path parent = file.getParent();
        return file.getFileName().toString().endsWith(".log")
                && (parent.equals(dir) || parent.equals(dir.resolve("logs")));
    }
}
