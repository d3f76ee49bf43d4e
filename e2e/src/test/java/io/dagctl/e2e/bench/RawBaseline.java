package io.dagctl.e2e.bench;

import java.io.File;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The same commands run straight from this JVM with no scheduler: what the benchmarks compare against. Launched like
 * the worker launches them (bash -c, output discarded, VFORK when the JVM was started with it).
 */
final class RawBaseline {

    private static final File DEV_NULL = new File("/dev/null");

    private RawBaseline() {
    }

    /** Seconds to run {@code command} {@code times} times, one after another. */
    static double serialSeconds(String command, int times) throws Exception {
        long start = System.nanoTime();
        for (int i = 0; i < times; i++) {
            run(command);
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /** Processes per second when {@code threads} threads run {@code command} {@code times} times in all. */
    static double parallelPerSecond(String command, int times, int threads) throws Exception {
        AtomicInteger left = new AtomicInteger(times);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<Object>> done = pool.invokeAll(java.util.Collections.nCopies(threads, () -> {
                while (left.getAndDecrement() > 0) {
                    run(command);
                }
                return null;
            }));
            for (Future<Object> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        return times / ((System.nanoTime() - start) / 1e9);
    }

    private static void run(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectInput(DEV_NULL)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(command + " exited " + p.exitValue());
        }
    }
}
