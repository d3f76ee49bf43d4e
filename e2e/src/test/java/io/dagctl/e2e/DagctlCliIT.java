package io.dagctl.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunReport;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** {@code ./dagctl} as a user runs it: the launcher script, a local cluster per run, exit codes and output. */
class DagctlCliIT {

    record Result(int exitCode, String out, String err) {}

    private static Result dagctl(String... args) throws IOException, InterruptedException {
        Path root = RepoPaths.root();
        Path out = Files.createTempFile("dagctl-out", ".txt");
        Path err = Files.createTempFile("dagctl-err", ".txt");
        List<String> command = new ArrayList<>(List.of("./dagctl"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(root.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("DAGCTL_SKIP_BUILD", "1");
        Process process = builder.start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("dagctl " + String.join(" ", args) + " did not finish in 5 minutes");
        }
        return new Result(
                process.exitValue(),
                Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void runPrintsTheTableAndExitsZeroWhenEveryTaskSucceeds() throws Exception {
        Result r = dagctl("run", "-f", "examples/simple_dag.yaml", "-w", "4");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("| TASK "), r.out());
        for (String task : List.of("extract", "clean", "enrich", "load", "report")) {
            assertTrue(
                    r.out().lines().anyMatch(l -> l.startsWith("| " + task + " ") && l.contains("| SUCCESS ")),
                    task + " is not shown as SUCCESS:\n" + r.out());
        }
        assertTrue(r.out().contains("SUCCESS in"), r.out());
        assertTrue(r.err().contains("cluster ready"), r.err());
        // the CLI starts without Quarkus' log manager (io.dagctl.cli.Main): the in-JVM broker's logging stays quiet
        assertFalse(r.err().contains("SLF4J"), r.err());
        assertFalse(r.err().contains("log4j"), r.err());
    }

    @Test
    void runWithUiPrintsTheWebUiAndKeepsTheClusterUpUntilEnter() throws Exception {
        Path err = Files.createTempFile("dagctl-err", ".txt");
        ProcessBuilder builder = new ProcessBuilder("./dagctl", "run", "--ui", "-f", "examples/simple_dag.yaml")
                .directory(RepoPaths.root().toFile())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(err.toFile());
        builder.environment().put("DAGCTL_SKIP_BUILD", "1");
        Process process = builder.start();
        try {
            String printed = await("dagctl run --ui to wait for Enter")
                    .atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(err), e -> e.contains("press Enter"));
            Matcher url =
                    Pattern.compile("web UI: (http://127\\.0\\.0\\.1:\\d+)/").matcher(printed);
            assertTrue(url.find(), printed);
            assertTrue(printed.contains("sign in with the token"), printed);
            HttpResponse<String> page = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create(url.group(1) + "/login"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode(), "the cluster is still up after the run");
            process.getOutputStream().write('\n');
            process.getOutputStream().flush();
            assertTrue(process.waitFor(2, TimeUnit.MINUTES), "Enter stops it");
            assertEquals(0, process.exitValue(), Files.readString(err));
        } finally {
            process.destroyForcibly();
        }
    }

    @Test
    void runExitsOneWhenATaskFailsAndShowsWhy() throws Exception {
        Result r = dagctl("run", "-f", "examples/failing_dag.yaml", "-w", "2");
        assertEquals(1, r.exitCode(), r.err());
        assertTrue(
                r.out().lines().anyMatch(l -> l.startsWith("| after_broken ") && l.contains("UPSTREAM_FAILED")),
                r.out());
        assertTrue(r.out().contains("cannot connect"), "the failed task's stderr is shown:\n" + r.out());
    }

    @Test
    void runWithJsonOutputPrintsOneReport() throws Exception {
        Result r = dagctl("run", "-f", "examples/retry_dag.yaml", "-w", "2", "-o", "json");
        assertEquals(0, r.exitCode(), r.err());
        RunReport report = Events.fromJson(r.out().getBytes(StandardCharsets.UTF_8), RunReport.class);
        assertEquals(RunStatus.SUCCESS, report.status());
        assertEquals(3, report.tasks().get(0).attempts());
        assertTrue(r.out().contains("\"run_id\""), r.out());
    }

    @Test
    void runServesEveryQueueItsDagNamesAndUpRefusesABadQueueName() throws Exception {
        Result r = dagctl("run", "-f", "examples/queues_dag.yaml", "-w", "2", "-o", "json");
        assertEquals(0, r.exitCode(), r.err());
        RunReport report = Events.fromJson(r.out().getBytes(StandardCharsets.UTF_8), RunReport.class);
        assertEquals(RunStatus.SUCCESS, report.status());
        var train = report.tasks().stream()
                .filter(t -> t.name().equals("train"))
                .findFirst()
                .orElseThrow();
        assertEquals("gpu", train.queue());
        assertEquals(null, report.tasks().get(0).queue(), "the default queue is left out of the report");

        Result bad = dagctl(
                "up",
                "--queues",
                "gpu,big.gpu",
                "--data-dir",
                Files.createTempDirectory("q").toString());
        assertEquals(2, bad.exitCode(), bad.out());
        assertTrue(bad.err().contains("--queues: invalid queue name(s) 'big.gpu'"), bad.err());
    }

    @Test
    void aRunNeverHasMoreTasksActiveThanItsMaxActiveTasksAndUsesThemAll() throws Exception {
        Result r = dagctl("run", "-f", "examples/limits_dag.yaml", "-w", "8", "-o", "json");
        assertEquals(0, r.exitCode(), r.err());
        RunReport report = Events.fromJson(r.out().getBytes(StandardCharsets.UTF_8), RunReport.class);
        assertEquals(RunStatus.SUCCESS, report.status());
        // each extract wrote when its process started and ended: the overlap the tasks themselves saw
        List<long[]> spans = new ArrayList<>();
        for (var task : report.tasks()) {
            if (task.name().startsWith("extract_")) {
                spans.add(new long[] {
                    Long.parseLong(String.valueOf(task.outputs().get("started"))),
                    Long.parseLong(String.valueOf(task.outputs().get("ended")))
                });
            }
        }
        assertEquals(6, spans.size());
        int most = 0;
        for (long[] span : spans) {
            int overlapping = 0;
            for (long[] other : spans) {
                if (other[0] <= span[0] && span[0] < other[1]) {
                    overlapping++;
                }
            }
            most = Math.max(most, overlapping);
        }
        assertEquals(2, most, "max_active_tasks 2 on 8 slots: two at once, never three");
    }

    @Test
    void aRunOnAPoolNeedsItsSizeAndNeverHasMoreOfItsTasksRunningThanThat() throws Exception {
        Result unsized = dagctl("run", "-f", "examples/pools_dag.yaml");
        assertEquals(2, unsized.exitCode(), unsized.err());
        assertTrue(
                unsized.err()
                        .contains("task 'load_orders' takes pool 'warehouse', which has no size in the cluster"
                                + " `dagctl run` starts: give it with --pool warehouse=N"),
                unsized.err());
        assertTrue(!unsized.err().contains("starting Kafka"), "nothing may start:\n" + unsized.err());
        Result tooSmall = dagctl("run", "-f", "examples/pools_dag.yaml", "--pool", "warehouse=1");
        assertEquals(2, tooSmall.exitCode(), tooSmall.err());
        assertTrue(tooSmall.err().contains("task 'rebuild_indexes' takes 2 slots of pool 'warehouse'"), tooSmall.err());

        Result r = dagctl("run", "-f", "examples/pools_dag.yaml", "--pool", "warehouse=2", "-w", "8", "-o", "json");
        assertEquals(0, r.exitCode(), r.err());
        RunReport report = Events.fromJson(r.out().getBytes(StandardCharsets.UTF_8), RunReport.class);
        assertEquals(RunStatus.SUCCESS, report.status());
        List<long[]> spans = new ArrayList<>();
        for (var task : report.tasks()) {
            spans.add(new long[] {
                Long.parseLong(String.valueOf(task.outputs().get("started"))),
                Long.parseLong(String.valueOf(task.outputs().get("ended"))),
                task.name().equals("rebuild_indexes") ? 2 : 1
            });
        }
        long most = 0;
        for (long[] span : spans) {
            long inUse = spans.stream()
                    .filter(o -> o[0] <= span[0] && span[0] < o[1])
                    .mapToLong(o -> o[2])
                    .sum();
            most = Math.max(most, inUse);
        }
        assertEquals(2, most, "a pool of 2 on 8 slots: two slots in use at once, never three");
    }

    @Test
    void typedParametersAreCheckedBeforeAnythingStartsAndTasksSeeThemWithDefaults() throws Exception {
        Result bad = dagctl("run", "-f", "examples/params_dag.yaml", "--param", "shards=many", "--param", "dya=1");
        assertEquals(2, bad.exitCode(), bad.err());
        assertTrue(
                bad.err()
                        .contains("examples/params_dag.yaml: parameter 'dya': DAG 'daily_report' takes no such"
                                + " parameter (did you mean 'day'?)"),
                bad.err());
        assertTrue(bad.err().contains("parameter 'day': missing; the DAG requires it"), bad.err());
        assertTrue(bad.err().contains("parameter 'shards': expected a whole number, got 'many' (int)"), bad.err());
        assertTrue(!bad.err().contains("starting Kafka"), "nothing may start for invalid parameters:\n" + bad.err());
        assertEquals(
                2,
                dagctl("validate", "-f", "examples/params_dag.yaml", "--param", "day=d", "--param", "dry_run=perhaps")
                        .exitCode());
        assertEquals(
                0,
                dagctl("validate", "-f", "examples/params_dag.yaml").exitCode(),
                "a DAG with a required parameter is valid; parameters are checked when some are given");

        Result r = dagctl(
                "run",
                "-f",
                "examples/params_dag.yaml",
                "--param",
                "day=2026-12-01",
                "--param",
                "shards=04",
                "-o",
                "json");
        assertEquals(0, r.exitCode(), r.err());
        RunReport report = Events.fromJson(r.out().getBytes(StandardCharsets.UTF_8), RunReport.class);
        assertEquals("4", report.params().get("shards"));
        assertEquals("data-team", report.params().get("owner"), "a default is part of the run's parameters");
        assertEquals(
                "extracting 2026-12-01 in 4 shard(s) for regions [\"eu\",\"us\"]\n",
                report.tasks().get(0).stdoutTail());
        assertEquals(
                "report for 2026-12-01: 2 region(s), dry run: False, owner data-team\n",
                report.tasks().get(1).stdoutTail());
    }

    @Test
    void invalidDagExitsTwoAndStartsNothing() throws Exception {
        Path bad = Files.createTempFile("bad", ".yaml");
        Files.writeString(bad, "name: x\ntasks:\n  - name: a\n    command: 'true'\n    dependecies: [a]\n");
        Result r = dagctl("run", "-f", bad.toString());
        assertEquals(2, r.exitCode());
        assertTrue(
                r.err()
                        .contains(
                                bad
                                        + ":5:5: task 'a', field 'dependecies': unknown field 'dependecies' (did you mean 'dependencies'?)"),
                r.err());
        assertTrue(!r.err().contains("starting Kafka"), "nothing may start for an invalid DAG:\n" + r.err());
        assertTrue(!r.err().contains("Exception"), "no stack trace for a user error:\n" + r.err());
    }

    @Test
    void aScriptFileTheDagNamesMustExistAndFitAndValidateSaysWhereItIsNamed() throws Exception {
        Path dir = Files.createTempDirectory("dagctl-scripts");
        Path dag = dir.resolve("dag.yaml");
        Files.writeString(dir.resolve("big.sh"), "echo " + "x".repeat(300_000) + "\n");
        Files.writeString(
                dag, "name: s\ntasks:\n  - {name: a, command_file: missing.sh}\n  - {name: b, command_file: big.sh}\n");
        Result r = dagctl("validate", "-f", dag.toString());
        assertEquals(2, r.exitCode(), r.err());
        assertTrue(r.err().contains(dag + ":3:"), r.err());
        assertTrue(
                r.err().contains("task 'a', field 'command_file': no such file: " + dir.resolve("missing.sh")),
                r.err());
        assertTrue(r.err().contains("task 'b', field 'command_file': "), r.err());
        assertTrue(r.err().contains("a command may have at most 256 KiB"), r.err());
    }

    @Test
    void validateAndGraphWorkWithoutACluster() throws Exception {
        Result valid = dagctl("validate", "-f", "examples/parallel_dag.yaml");
        assertEquals(0, valid.exitCode(), valid.err());
        assertTrue(valid.out().contains("is valid: 10 task(s)"), valid.out());
        Result dot = dagctl("graph", "-f", "examples/parallel_dag.yaml");
        assertEquals(0, dot.exitCode(), dot.err());
        assertTrue(dot.out().startsWith("digraph \"parallel_shards\""), dot.out());
        assertTrue(dot.out().contains("\"setup\" -> \"shard_1\";"), dot.out());
        Result mermaid = dagctl("graph", "-f", "examples/parallel_dag.yaml", "--format", "mermaid");
        assertTrue(mermaid.out().contains("shard_8 --> merge"), mermaid.out());
        Result missing = dagctl("validate", "-f", "examples/missing.yaml");
        assertEquals(2, missing.exitCode());
        assertTrue(missing.err().contains("examples/missing.yaml: no such file"), missing.err());
    }
}
