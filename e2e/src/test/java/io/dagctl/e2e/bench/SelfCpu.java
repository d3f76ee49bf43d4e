package io.dagctl.e2e.bench;

import java.nio.file.Files;
import java.nio.file.Path;

/** This JVM's CPU time with that of the processes it started and waited for (what a raw spawn costs in all). */
final class SelfCpu {

    private SelfCpu() {}

    /** utime + stime + cutime + cstime of this process, in seconds. */
    static double withChildren() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = 0;
            for (int i = 11; i <= 14; i++) {
                ticks += Long.parseLong(fields[i]);
            }
            return ticks / 100.0;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read /proc/self/stat", e);
        }
    }
}
