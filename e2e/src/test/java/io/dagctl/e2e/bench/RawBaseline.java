package io.dagctl.e2e.bench;

import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.TaskType;
import io.dagctl.worker.exec.ExecutionSettings;
import io.dagctl.worker.exec.Interpreters;
import io.dagctl.worker.exec.OutputSink;
import io.dagctl.worker.exec.ProcessKeeper;
import io.dagctl.worker.exec.TaskExecutor;
import java.io.File;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    private RawBaseline() {}

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
     * The same, each process launched by the worker's own {@link TaskExecutor} — in a process group of its own
     * ({@code setsid}) watched by a process keeper, stdout and stderr read to their end, in a work directory created for it and removed after —
     * with no scheduler: how much of the gap to raw spawn is the launch itself.
     */
    static double launchedLikeTheWorkerPerSecond(String command, int times, int threads, Path workRoot)
            throws Exception {
        ExecutorService readers = Executors.newCachedThreadPool();
        Interpreters interpreters = new Interpreters(Optional.empty(), Optional.empty());
        ProcessKeeper keeper =
                ProcessKeeper.start(Duration.ofSeconds(5), interpreters.bash(), TaskExecutor.setsidPath());
        TaskExecutor executor = new TaskExecutor(
                interpreters,
                new ExecutionSettings(workRoot, 64 * 1024, Duration.ofSeconds(5), false),
                readers,
                "raw-baseline",
                Clock.systemUTC(),
                keeper);
        AtomicInteger serial = new AtomicInteger();
        try {
            return parallelPerSecond(times, threads, () -> {
                TaskDispatched task = TaskDispatched.of(
                        new AttemptId("raw", "t" + serial.incrementAndGet(), 1),
                        TaskType.BASH,
                        command,
                        Map.of(),
                        Duration.ofMinutes(1),
                        10_000,
                        Instant.now(),
                        null,
                        null);
                TaskFinished done =
                        executor.run(task, startedAt -> {}, OutputSink.NONE).orElseThrow();
                if (done.outcome() != Outcome.SUCCEEDED) {
                    throw new IllegalStateException(command + " ended " + done.outcome() + ": " + done.error());
                }
            });
        } finally {
            readers.shutdown();
            keeper.close();
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
            List<Future<Object>> done = pool.invokeAll(Collections.nCopies(threads, () -> {
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
        Process p = new ProcessBuilder(commandLine)
                .redirectInput(DEV_NULL)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (p.waitFor() != 0) {
            throw new IllegalStateException(commandLine + " exited " + p.exitValue());
        }
    }
}
