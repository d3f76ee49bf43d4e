package io.dagctl.e2e.bench;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The same commands run straight from this JVM with no scheduler: what the benchmarks compare against. Raw spawn is
 * {@code bash -c} with output discarded (VFORK, as the harness's JVM is started with it, like the worker);
 * {@link #inProcessGroupPerSecond} and {@link #launchedLikeTheWorkerPerSecond} add what the worker adds to a launch.
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
        return parallelPerSecond(times, threads, () -> run(command));
    }

    /** The same as raw spawn, each process in a session and process group of its own ({@code setsid}) only. */
    static double inProcessGroupPerSecond(String command, int times, int threads) throws Exception {
        return parallelPerSecond(times, threads, () -> run(List.of("setsid", "bash", "-c", command)));
    }

    /**
     * The same, each process launched the way the worker launches an attempt — in a process group of its own
     * ({@code setsid}), stdout and stderr read to their end by two reader threads, in a work directory created for it
     * and removed after — with no scheduler: how much of the gap to raw spawn is the launch itself.
     */
    static double launchedLikeTheWorkerPerSecond(String command, int times, int threads, Path workRoot) throws Exception {
        ExecutorService readers = Executors.newCachedThreadPool();
        AtomicInteger serial = new AtomicInteger();
        try {
            return parallelPerSecond(times, threads, () -> {
                Path workDir = Files.createDirectories(workRoot.resolve("attempt-" + serial.incrementAndGet()));
                Process p = new ProcessBuilder("setsid", "bash", "-c", command).directory(workDir.toFile())
                        .redirectInput(DEV_NULL).start();
                Future<?> out = readers.submit(() -> p.getInputStream().transferTo(OutputStream.nullOutputStream()));
                Future<?> err = readers.submit(() -> p.getErrorStream().transferTo(OutputStream.nullOutputStream()));
                int exit = p.waitFor();
                out.get();
                err.get();
                Files.delete(workDir);
                if (exit != 0) {
                    throw new IllegalStateException(command + " exited " + exit);
                }
            });
        } finally {
            readers.shutdown();
        }
    }

    private interface Launch {
        void once() throws Exception;
    }

    private static double parallelPerSecond(int times, int threads, Launch launch) throws Exception {
        AtomicInteger left = new AtomicInteger(times);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<Object>> done = pool.invokeAll(java.util.Collections.nCopies(threads, () -> {
                while (left.getAndDecrement() > 0) {
                    launch.once();
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
        run(List.of("bash", "-c", command));
    }

    private static void run(List<String> commandLine) throws Exception {
        Process p = new ProcessBuilder(commandLine).redirectInput(DEV_NULL)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(commandLine + " exited " + p.exitValue());
        }
    }
}
