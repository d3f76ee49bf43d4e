package io.dagctl.worker.exec;

import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.parse.DurationText;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs one attempt as a child process: its own working directory and process group, the task's environment on top of
 * the worker's, a timeout that stops the whole process tree, and bounded tails of stdout and stderr.
 */
public final class TaskExecutor {

    private static final System.Logger LOG = System.getLogger(TaskExecutor.class.getName());
    private static final File DEV_NULL = new File("/dev/null");
    /** How long output may keep coming after the main process exited and its group was told to stop. */
    private static final Duration OUTPUT_SETTLES = Duration.ofSeconds(1);
    /** Empty work directories kept for later attempts (one inode each): enough for 1,000 attempts a second. */
    private static final int SPARE_WORK_DIRS = 4096;
    /** Beyond the kill grace: a spare is handed out only once what its task's group left has been killed. */
    private static final Duration SPARE_AGE_MARGIN = Duration.ofSeconds(1);

    private final Interpreters interpreters;
    private final ExecutionSettings settings;
    private final ExecutorService streamReaders;
    private final String workerId;
    private final Clock clock;
    private final Optional<Path> setsid;
    private final ProcessKeeper keeper;
    private final ProcessTree tree;
    private final WorkDirs workDirs;
    private final Map<String, Process> running = new ConcurrentHashMap<>();
    private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

    public TaskExecutor(
            Interpreters interpreters,
            ExecutionSettings settings,
            ExecutorService streamReaders,
            String workerId,
            Clock clock,
            ProcessKeeper keeper) {
        this.interpreters = interpreters;
        this.settings = settings;
        this.streamReaders = streamReaders;
        this.workerId = workerId;
        this.clock = clock;
        this.setsid = setsidPath();
        this.keeper = keeper;
        this.tree = new ProcessTree(keeper, setsid.isPresent());
        this.workDirs = new WorkDirs(
                settings.workRoot(),
                SPARE_WORK_DIRS,
                settings.killGrace().plus(SPARE_AGE_MARGIN),
                settings.keepWorkDirs(),
                System::nanoTime);
    }

    /** {@code setsid}, which starts each task as the leader of a process group of its own; empty where it is missing. */
    public static Optional<Path> setsidPath() {
        return Stream.of("/usr/bin/setsid", "/bin/setsid")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst();
    }

    /**
     * Runs the attempt to its end. {@code onStarted} is called once the process exists (not when it could not start).
     * Empty when the calling thread was interrupted (the worker is shutting down): the process tree was stopped and
     * the attempt is abandoned, not failed, so that it runs again elsewhere.
     */
    public Optional<TaskFinished> run(TaskDispatched task, Consumer<Instant> onStarted, OutputSink output) {
        Instant startedAt = clock.instant();
        Optional<List<String>> commandLine = interpreters.commandLine(task.taskType(), task.command());
        if (commandLine.isEmpty()) {
            output.end();
            return Optional.of(notStarted(task, startedAt, interpreters.whyMissing(task.taskType())));
        }
        String name = task.runId() + "." + task.task() + "." + task.attempt();
        // beside the work directory, not in it: a task that cleans its directory does not lose its outputs
        Path outputFile = settings.workRoot().resolve(name + ".out");
        WorkDirs.WorkDir workDir = null;
        Process process;
        try {
            workDir = workDirs.create(name);
            List<String> command = new ArrayList<>();
            setsid.ifPresent(p -> command.add(p.toString()));
            command.addAll(commandLine.get());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.path().toFile())
                    .redirectInput(DEV_NULL);
            Map<String, String> env = builder.environment();
            env.putAll(task.env());
            env.put("DAGCTL_RUN_ID", task.runId());
            env.put("DAGCTL_TASK_NAME", task.task());
            env.put("DAGCTL_ATTEMPT", String.valueOf(task.attempt()));
            env.put("DAGCTL_ATTEMPT_ID", task.attemptId());
            env.put("DAGCTL_WORKER_ID", workerId);
            env.put("DAGCTL_WORKER_SESSION", keeper.session());
            env.put("DAGCTL_OUTPUT", outputFile.toString());
            process = builder.start();
        } catch (IOException | UncheckedIOException e) {
            if (workDir != null) {
                workDirs.release(workDir);
            }
            output.end();
            return Optional.of(notStarted(task, startedAt, "could not start the process: " + e.getMessage()));
        }
        running.put(task.attemptId(), process);
        if (setsid.isPresent()) {
            keeper.watch(process.pid(), task.attemptId());
        }
        onStarted.accept(startedAt);
        TailBuffer stdout = new TailBuffer(settings.tailBytes());
        TailBuffer stderr = new TailBuffer(settings.tailBytes());
        Future<?> outReader = streamReaders.submit(() -> drain(process.getInputStream(), stdout, "stdout", output));
        Future<?> errReader = streamReaders.submit(() -> drain(process.getErrorStream(), stderr, "stderr", output));
        try {
            TaskFinished finished = await(task, process, workDir, startedAt, stdout, stderr, outReader, errReader);
            return Optional.ofNullable(finished == null ? null : withOutputs(finished, outputFile));
        } finally {
            deleteQuietly(outputFile);
            running.remove(task.attemptId());
            output.end();
        }
    }

    /**
     * Stops a running attempt and its process tree (its run was cancelled). Returns false when the attempt does not
     * run here.
     */
    public boolean cancel(String attemptId) {
        Process process = running.get(attemptId);
        if (process == null) {
            return false;
        }
        cancelled.add(attemptId);
        tree.terminate(process, settings.killGrace());
        return true;
    }

    private TaskFinished await(
            TaskDispatched task,
            Process process,
            WorkDirs.WorkDir workDir,
            Instant startedAt,
            TailBuffer stdout,
            TailBuffer stderr,
            Future<?> outReader,
            Future<?> errReader) {
        boolean timedOut = false;
        try {
            if (!process.waitFor(task.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                tree.terminate(process, settings.killGrace());
                process.waitFor();
            }
        } catch (InterruptedException e) {
            tree.terminate(process, settings.killGrace());
            groupEnded(process, task);
            workDirs.release(workDir);
            Thread.currentThread().interrupt();
            return null;
        }
        groupEnded(process, task);
        awaitOutput(task, outReader, errReader);
        Instant endedAt = clock.instant();
        workDirs.release(workDir);
        if (timedOut) {
            return TaskFinished.of(
                    task.attemptId(),
                    workerId,
                    -1,
                    Outcome.TIMED_OUT,
                    stdout.text(),
                    stderr.text(),
                    startedAt,
                    endedAt,
                    "killed after the timeout of " + DurationText.format(task.timeout()));
        }
        if (cancelled.remove(task.attemptId())) {
            return TaskFinished.of(
                    task.attemptId(),
                    workerId,
                    -1,
                    Outcome.FAILED,
                    stdout.text(),
                    stderr.text(),
                    startedAt,
                    endedAt,
                    "stopped: the run was cancelled");
        }
        int exit = process.exitValue();
        return TaskFinished.of(
                task.attemptId(),
                workerId,
                exit,
                exit == 0 ? Outcome.SUCCEEDED : Outcome.FAILED,
                stdout.text(),
                stderr.text(),
                startedAt,
                endedAt,
                exit == 0 ? null : "exited with code " + exit);
    }

    /**
     * The attempt's end with what it wrote to {@code $DAGCTL_OUTPUT}. Outputs that are too large or malformed fail an
     * attempt that had succeeded, saying why; a failed attempt keeps its own error, with the reason added.
     */
    private TaskFinished withOutputs(TaskFinished finished, Path outputFile) {
        try {
            return finished.withOutputs(OutputFile.read(outputFile, settings.maxOutputBytes()));
        } catch (OutputFile.RefusedException e) {
            return finished.outcome() == Outcome.SUCCEEDED
                    ? finished.withEnd(Outcome.FAILED, "exited 0 but its outputs were refused: " + e.getMessage())
                    : finished.withEnd(
                            finished.outcome(), finished.error() + "; its outputs were refused: " + e.getMessage());
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "could not remove {0}: {1}", file, e.getMessage());
        }
    }

    private TaskFinished notStarted(TaskDispatched task, Instant at, String why) {
        LOG.log(System.Logger.Level.WARNING, "{0} not started: {1}", task.attemptId(), why);
        return TaskFinished.of(task.attemptId(), workerId, -1, Outcome.NOT_STARTED, "", "", at, clock.instant(), why);
    }

    private static void drain(InputStream in, TailBuffer tail, String stream, OutputSink output) {
        try (in) {
            tail.drain(in, stream, output);
        } catch (IOException e) {
            // the process is gone and its pipe closed: what was read is what there is
        }
    }

    /** The task's main process exited: what it left running in its group is stopped by the keeper. */
    private void groupEnded(Process process, TaskDispatched task) {
        if (setsid.isPresent()) {
            keeper.ended(process.pid(), task.attemptId());
        }
    }

    /**
     * Reads the task's output to its end. A process that left the task's group but still holds its output open is
     * killed by the keeper (found by the task's id in its environment); one that also cleared its environment is not
     * waited for beyond the kill grace, and its reader is stopped.
     */
    private void awaitOutput(TaskDispatched task, Future<?> outReader, Future<?> errReader) {
        if (finished(outReader, OUTPUT_SETTLES) && finished(errReader, OUTPUT_SETTLES)) {
            return;
        }
        keeper.killStrays(task.attemptId());
        Duration wait = settings.killGrace().plus(OUTPUT_SETTLES);
        if (!finished(outReader, wait) || !finished(errReader, wait)) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "{0}: its output is still held open by a process outside its group; not waited for",
                    task.attemptId());
            outReader.cancel(true);
            errReader.cancel(true);
        }
    }

    private static boolean finished(Future<?> reader, Duration within) {
        try {
            reader.get(within.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        } catch (Exception e) {
            return true; // reading failed; the tail keeps what it got
        }
    }
}
