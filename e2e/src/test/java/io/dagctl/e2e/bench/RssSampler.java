package io.dagctl.e2e.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Samples the resident set size of named processes every 100 ms from /proc and keeps each one's peak. */
final class RssSampler implements AutoCloseable {

    private final Map<String, Long> pids;
    private final Map<String, Long> peakKb = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean stop;

    RssSampler(Map<String, Long> pidsByService) {
        this.pids = new LinkedHashMap<>(pidsByService);
        this.thread = new Thread(this::loop, "rss-sampler");
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        while (!stop) {
            pids.forEach((name, pid) -> peakKb.merge(name, rssKb(pid), Math::max));
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    static long rssKb(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (Exception e) {
            // the process ended
        }
        return 0;
    }

    /** CPU seconds (user + system) the process has used so far, from /proc/PID/stat (clock ticks of 1/100 s). */
    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
        } catch (Exception e) {
            return 0;
        }
    }

    /** Peak RSS in MB by service. */
    Map<String, Long> peaksMb() {
        Map<String, Long> out = new LinkedHashMap<>();
        pids.keySet().forEach(name -> out.put(name, peakKb.getOrDefault(name, 0L) / 1024));
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(1000);
    }
}
