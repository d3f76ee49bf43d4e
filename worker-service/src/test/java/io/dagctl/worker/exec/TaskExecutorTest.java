package io.dagctl.worker.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.TaskType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Real child processes: environment, exit codes, timeouts that leave nothing behind, bounded output. */
class TaskExecutorTest {

    private static ExecutorService readers;
    private static Path workRoot;
    private static ProcessKeeper keeper;
    private static TaskExecutor executor;

    @BeforeAll
    static void setUp() throws Exception {
        readers = Executors.newCachedThreadPool();
        workRoot = Files.createTempDirectory("dagctl-exec-test");
        Interpreters interpreters = new Interpreters(Optional.empty(), Optional.empty());
        keeper = ProcessKeeper.start(Duration.ofMillis(500), interpreters.bash(), TaskExecutor.setsidPath());
        executor = new TaskExecutor(
                interpreters,
                new ExecutionSettings(workRoot, 64 * 1024, Duration.ofMillis(500), false),
                readers,
                "w-test",
                Clock.systemUTC(),
                keeper);
    }

    @AfterAll
    static void tearDown() throws Exception {
        keeper.close();
        readers.shutdownNow();
        // every attempt's working directory was removed or kept empty as a spare for the next one
        try (Stream<Path> left = Files.list(workRoot)) {
            for (Path entry : left.toList()) {
                assertTrue(entry.getFileName().toString().startsWith(".spare-"), "left behind: " + entry);
                Files.delete(entry); // fails unless empty
            }
        }
        Files.delete(workRoot);
    }

    private static TaskFinished run(TaskType type, String command, Duration timeout, Map<String, String> env) {
        TaskDispatched task = TaskDispatched.of(
                new AttemptId("run1", "t", 2), type, command, env, timeout, 10_000, Instant.now(), null, null);
        return executor.run(task, at -> {}, OutputSink.NONE).orElseThrow();
    }

    @Test
    void takesTheOutputsTheTaskWrote() {
        TaskFinished kv = run(
                TaskType.BASH,
                "echo rows=42 >> \"$DAGCTL_OUTPUT\"; echo 'path=/data/a b=c' >> \"$DAGCTL_OUTPUT\"",
                Duration.ofSeconds(30),
                Map.of());
        assertEquals(Outcome.SUCCEEDED, kv.outcome(), kv.error());
        assertEquals(Map.of("rows", "42", "path", "/data/a b=c"), kv.outputs());

        TaskFinished json = run(
                TaskType.PYTHON,
                "import json, os\njson.dump({'files': ['a', 'b'], 'n': 2, 'ok': True}, open(os.environ['DAGCTL_OUTPUT'], 'w'))",
                Duration.ofSeconds(30),
                Map.of());
        assertEquals(Outcome.SUCCEEDED, json.outcome(), json.error());
        assertEquals(Map.of("files", List.of("a", "b"), "n", 2, "ok", true), json.outputs());
        assertFalse(Files.exists(workRoot.resolve("run1.t.2.out")), "the output file is removed afterwards");
    }

    @Test
    void refusesOutputsOverTheLimitOrMalformedWithoutCuttingThem() {
        TaskFinished big = run(
                TaskType.BASH,
                "head -c 70000 /dev/zero | tr '\\0' x | sed 's/^/k=/' > \"$DAGCTL_OUTPUT\"",
                Duration.ofSeconds(30),
                Map.of());
        assertEquals(Outcome.FAILED, big.outcome());
        assertTrue(big.outputs().isEmpty());
        assertTrue(big.error().contains("70002 bytes") && big.error().contains("the limit is 64 KiB"), big.error());

        TaskFinished malformed = run(
                TaskType.BASH, "printf 'a=1\\nnot a pair\\n' > \"$DAGCTL_OUTPUT\"", Duration.ofSeconds(30), Map.of());
        assertEquals(Outcome.FAILED, malformed.outcome());
        assertTrue(malformed.error().contains("line 2") && malformed.error().contains("not a pair"), malformed.error());
    }

    @Test
    void passesTheEnvironmentAndRunsInItsOwnDirectory() {
        TaskFinished result = run(
                TaskType.BASH,
                "echo \"$DAGCTL_RUN_ID $DAGCTL_TASK_NAME $DAGCTL_ATTEMPT $GREETING\"; pwd; echo oops >&2; exit 3",
                Duration.ofSeconds(30),
                Map.of("GREETING", "hello"));
        assertEquals(Outcome.FAILED, result.outcome());
        assertEquals(3, result.exitCode());
        String[] lines = result.stdoutTail().split("\n");
        assertEquals("run1 t 2 hello", lines[0]);
        assertTrue(lines[1].startsWith(workRoot.toString()), lines[1]);
        assertEquals("oops\n", result.stderrTail());
        assertFalse(Files.exists(Path.of(lines[1])), "the working directory is removed afterwards");
    }

    @Test
    void whatATaskLeavesInItsDirectoryIsRemovedWithIt() {
        TaskFinished result = run(
                TaskType.BASH, "mkdir -p a/b && echo x > a/b/f && echo y > g && pwd", Duration.ofSeconds(30), Map.of());
        assertEquals(Outcome.SUCCEEDED, result.outcome(), result.stderrTail());
        Path workDir = Path.of(result.stdoutTail().trim());
        assertTrue(workDir.startsWith(workRoot), workDir.toString());
        assertFalse(Files.exists(workDir), "the working directory and what the task left in it are removed");
    }

    @Test
    void inheritsTheWorkersEnvironment() {
        TaskFinished result = run(TaskType.BASH, "echo \"$PATH\"", Duration.ofSeconds(30), Map.of());
        assertEquals(System.getenv("PATH") + "\n", result.stdoutTail());
    }

    @Test
    void runsPython() {
        TaskFinished result = run(
                TaskType.PYTHON,
                "import os, sys\nprint(os.environ['DAGCTL_TASK_NAME'], sys.version_info[0])",
                Duration.ofSeconds(30),
                Map.of());
        assertEquals(Outcome.SUCCEEDED, result.outcome(), result.stderrTail());
        assertEquals("t 3\n", result.stdoutTail());
        assertNull(result.error());
    }

    @Test
    void timeoutKillsTheWholeProcessTree() throws Exception {
        MarkedSleep sleep = new MarkedSleep();
        long started = System.nanoTime();
        // one child in the background, one grandchild whose parent exits at once (re-parented), and the task itself
        var result = readers.submit(() -> run(
                TaskType.BASH,
                sleep.command() + " & (" + sleep.command() + " &) ; " + sleep.command(),
                Duration.ofSeconds(2),
                Map.of()));
        assertTrue(sleep.awaitRunning(3, Duration.ofSeconds(10)), "the three sleeps started");
        assertEquals(Outcome.TIMED_OUT, result.get(30, TimeUnit.SECONDS).outcome());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toSeconds() < 10);
        assertTrue(
                sleep.awaitGone(Duration.ofSeconds(5)), sleep.running() + " processes left behind after the timeout");
    }

    @Test
    void whatATaskLeavesRunningInItsGroupIsStoppedWhenItEnds() {
        MarkedSleep sleep = new MarkedSleep();
        long started = System.nanoTime();
        // the background sleep keeps the task's stdout open: before the keeper, the result waited for it
        TaskFinished result = run(TaskType.BASH, sleep.command() + " & echo started", Duration.ofSeconds(30), Map.of());
        assertEquals(Outcome.SUCCEEDED, result.outcome());
        assertEquals("started\n", result.stdoutTail());
        assertTrue(
                Duration.ofNanos(System.nanoTime() - started).toMillis() < 4_000,
                "the result did not wait for the leftover process");
        assertTrue(sleep.awaitGone(Duration.ofSeconds(5)), sleep.running() + " leftover process(es) still run");
    }

    @Test
    void aProcessThatLeftTheGroupButHoldsTheOutputIsKilledByTheAttemptsId() {
        MarkedSleep sleep = new MarkedSleep();
        // setsid: a session, and a group, of its own; it still has the task's stdout and environment
        TaskFinished result =
                run(TaskType.BASH, "setsid " + sleep.command() + " & echo started", Duration.ofSeconds(30), Map.of());
        assertEquals(Outcome.SUCCEEDED, result.outcome());
        assertTrue(sleep.awaitGone(Duration.ofSeconds(5)), "the escaped process still runs");
    }

    @Test
    void whenTheWorkerDiesItsKeeperKillsEveryTaskProcessItKnew() throws Exception {
        MarkedSleep inGroup = new MarkedSleep();
        MarkedSleep escaped = new MarkedSleep();
        Interpreters interpreters = new Interpreters(Optional.empty(), Optional.empty());
        ProcessKeeper dying =
                ProcessKeeper.start(Duration.ofMillis(500), interpreters.bash(), TaskExecutor.setsidPath());
        TaskExecutor worker = new TaskExecutor(
                interpreters,
                new ExecutionSettings(workRoot, 1024, Duration.ofMillis(500), false),
                readers,
                "w-dies",
                Clock.systemUTC(),
                dying);
        TaskDispatched task = TaskDispatched.of(
                new AttemptId("run3", "long", 1),
                TaskType.BASH,
                "(setsid " + escaped.command() + " >/dev/null 2>&1 &); " + inGroup.command(),
                Map.of(),
                Duration.ofMinutes(5),
                10_000,
                Instant.now(),
                null,
                null);
        var running = readers.submit(() -> worker.run(task, at -> {}, OutputSink.NONE));
        assertTrue(inGroup.awaitRunning(1, Duration.ofSeconds(10)) && escaped.awaitRunning(1, Duration.ofSeconds(10)));
        dying.abandon(); // what the worker's death does: the keeper's pipe closes
        assertTrue(inGroup.awaitGone(Duration.ofSeconds(10)), "the task's group outlived the worker");
        assertTrue(escaped.awaitGone(Duration.ofSeconds(10)), "the process that left the group outlived the worker");
        running.get(30, TimeUnit.SECONDS);
    }

    @Test
    void twentyMegabytesOfOutputKeepOnlyTheTail() {
        TaskFinished result = run(
                TaskType.BASH,
                "head -c 20000000 /dev/zero | tr '\\0' 'x'; echo; echo THE-END",
                Duration.ofSeconds(60),
                Map.of());
        assertEquals(Outcome.SUCCEEDED, result.outcome());
        assertEquals(64 * 1024, result.stdoutTail().length());
        assertTrue(result.stdoutTail().endsWith("x\nTHE-END\n"));
    }

    @Test
    void missingInterpreterMeansNotStarted() {
        TaskExecutor noPython = new TaskExecutor(
                new Interpreters(Optional.empty(), Optional.of("/nonexistent/python3")),
                new ExecutionSettings(workRoot, 1024, Duration.ofMillis(100), false),
                readers,
                "w",
                Clock.systemUTC(),
                keeper);
        TaskDispatched task = TaskDispatched.of(
                new AttemptId("r", "p", 1),
                TaskType.PYTHON,
                "print(1)",
                Map.of(),
                Duration.ofSeconds(5),
                10_000,
                Instant.now(),
                null,
                null);
        TaskFinished result = noPython.run(task, at -> {}, OutputSink.NONE).orElseThrow();
        assertEquals(Outcome.NOT_STARTED, result.outcome());
        assertTrue(result.error().contains("/nonexistent/python3 is not executable"), result.error());
    }

    @Test
    void cancelStopsARunningAttemptAndItsChildren() throws Exception {
        MarkedSleep sleep = new MarkedSleep();
        TaskDispatched task = TaskDispatched.of(
                new AttemptId("run2", "long", 1),
                TaskType.BASH,
                sleep.command() + " & " + sleep.command(),
                Map.of(),
                Duration.ofMinutes(5),
                10_000,
                Instant.now(),
                null,
                null);
        var result = readers.submit(
                () -> executor.run(task, at -> {}, OutputSink.NONE).orElseThrow());
        assertTrue(sleep.awaitRunning(2, Duration.ofSeconds(10)), "both sleeps started");
        assertTrue(executor.cancel("run2/long/1"));
        TaskFinished finished = result.get(30, TimeUnit.SECONDS);
        assertEquals(Outcome.FAILED, finished.outcome());
        assertEquals("stopped: the run was cancelled", finished.error());
        assertFalse(executor.cancel("run2/long/1"), "nothing left to cancel");
        assertTrue(sleep.awaitGone(Duration.ofSeconds(5)), sleep.running() + " processes left after the cancel");
    }

    @Test
    void outputIsStreamedInWholeCharactersAndEnds() {
        StringBuilder streamed = new StringBuilder();
        boolean[] ended = {false};
        OutputSink sink = new OutputSink() {
            @Override
            public synchronized void write(String stream, byte[] data, int length) {
                if (stream.equals("stdout")) {
                    streamed.append(new String(data, 0, length, StandardCharsets.UTF_8));
                }
            }

            @Override
            public void end() {
                ended[0] = true;
            }
        };
        TaskDispatched task = TaskDispatched.of(
                new AttemptId("run3", "utf", 1),
                TaskType.PYTHON,
                "import sys\nfor i in range(3000):\n    sys.stdout.write('é€𝄞')\n    sys.stdout.flush()",
                Map.of("PYTHONIOENCODING", "utf-8"),
                Duration.ofSeconds(60),
                10_000,
                Instant.now(),
                null,
                null);
        TaskFinished result = executor.run(task, at -> {}, sink).orElseThrow();
        assertEquals(Outcome.SUCCEEDED, result.outcome(), result.stderrTail());
        assertEquals("é€𝄞".repeat(3000), streamed.toString());
        assertTrue(ended[0]);
    }
}
