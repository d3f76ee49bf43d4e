package io.dagctl.e2e;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.core.model.Backfill;
import io.dagctl.core.model.RunId;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.RunPage;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.RunSummary;
import io.dagctl.kafka.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A user's session with a long-lived local cluster, through ./dagctl only: up, submit, watch, status, runs, logs,
 * cancel, retry, down, and up again with every run and its logs still there.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DagctlClusterIT {

    record Result(int exitCode, String out, String err) {}

    private Path dataDir;
    private int port;

    private String kafka;

    @BeforeAll
    void up() throws Exception {
        dataDir = Files.createTempDirectory("dagctl-up-");
        port = FreePorts.next();
        Result up = dagctl("up", "--port", String.valueOf(port), "-w", "4");
        assertEquals(0, up.exitCode(), up.err());
        kafka = up.out()
                .lines()
                .filter(l -> l.strip().startsWith("Kafka:"))
                .map(l -> l.strip().substring("Kafka:".length()).strip())
                .findFirst()
                .orElseThrow();
        assertTrue(up.out().contains("API:      http://127.0.0.1:" + port), up.out());
        assertTrue(up.out().contains("web UI:   http://127.0.0.1:" + port + "/"), up.out());
    }

    @AfterAll
    void down() throws Exception {
        dagctl("down");
        ScratchDirs.deleteAllButLogs(dataDir);
    }

    private Result dagctl(String... args) throws IOException, InterruptedException {
        Path out = Files.createTempFile("dagctl-out", ".txt");
        Path err = Files.createTempFile("dagctl-err", ".txt");
        List<String> command = new ArrayList<>(List.of("./dagctl"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(RepoPaths.root().toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile());
        builder.environment().put("DAGCTL_SKIP_BUILD", "1");
        builder.environment().put("DAGCTL_DATA_DIR", dataDir.toString());
        builder.environment().remove("DAGCTL_SERVER");
        builder.environment().remove("DAGCTL_TOKEN");
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("dagctl " + String.join(" ", args) + " did not finish in 3 minutes");
        }
        try {
            return new Result(
                    process.exitValue(),
                    Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.delete(out);
            Files.delete(err);
        }
    }

    private static io.dagctl.core.report.TaskReport task(RunReport report, String name) {
        return report.tasks().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no task " + name + " in " + report.runId()));
    }

    private RunReport status(String runId) throws Exception {
        Result r = dagctl("status", runId, "-o", "json");
        return Events.fromJson(r.out().getBytes(StandardCharsets.UTF_8), RunReport.class);
    }

    @Test
    void aTaskOfAQueueNoWorkerServesWaitsAndSaysWhyUntilAWorkerForItStarts() throws Exception {
        Path dag = Files.createTempFile(dataDir, "queues", ".yaml");
        Files.writeString(dag, """
                name: queues_it
                tasks:
                  - {name: prep, command: "echo prep"}
                  - {name: train, command: "echo trained by $DAGCTL_WORKER_ID", queue: gpu, dependencies: [prep]}
                """);
        Result submitted = dagctl("submit", "-f", dag.toString());
        assertEquals(0, submitted.exitCode(), submitted.err());
        String runId = submitted.out().strip();
        RunReport waiting = null;
        for (int i = 0; i < 100; i++) {
            waiting = status(runId);
            var train = task(waiting, "train");
            if (train.status() == TaskStatus.QUEUED && train.waitingFor() != null) {
                break;
            }
            Thread.sleep(200);
        }
        var train = task(waiting, "train");
        assertEquals(TaskStatus.QUEUED, train.status(), "the task waits, it is not lost");
        assertEquals("gpu", train.queue());
        assertTrue(train.waitingFor().contains("a worker serving queue 'gpu'"), train.waitingFor());
        Result text = dagctl("status", runId);
        assertTrue(text.out().contains("| QUEUED (no worker) |"), text.out());
        assertTrue(text.out().contains("⏸ 1 task(s) wait for a worker serving queue 'gpu'"), text.out());

        ManagedProcess gpuWorker = new ManagedProcess(
                "gpu-worker",
                List.of(
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        RepoPaths.app("worker-service").toString()),
                Map.of(
                        "DAGCTL_KAFKA_BOOTSTRAP_SERVERS", kafka,
                        "DAGCTL_WORKER_QUEUES", "gpu",
                        "DAGCTL_WORKER_ID", "gpu-1",
                        "DAGCTL_WORKER_SLOTS", "1",
                        "DAGCTL_WORKER_WORK_DIR", dataDir.resolve("gpu-work").toString(),
                        "QUARKUS_HTTP_PORT", String.valueOf(FreePorts.next()),
                        "QUARKUS_HTTP_HOST", "127.0.0.1"),
                dataDir.resolve("logs/gpu-worker.log"));
        try {
            gpuWorker.start();
            await().atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(500))
                    .until(() -> status(runId).status().isTerminal());
            RunReport done = status(runId);
            assertEquals(RunStatus.SUCCESS, done.status());
            assertEquals("gpu-1", task(done, "train").workerId(), "only the gpu worker takes the gpu queue");
            assertTrue(task(done, "train").stdoutTail().contains("trained by gpu-1"));
            assertTrue(!"gpu-1".equals(task(done, "prep").workerId()), "the gpu worker serves no other queue");
        } finally {
            gpuWorker.stop();
        }
    }

    @Test
    void tasksPassOutputsBranchAndCleanUpAsTheExamplesShow() throws Exception {
        Result outputs = dagctl("submit", "-f", "examples/outputs_dag.yaml", "--wait", "-o", "json");
        assertEquals(0, outputs.exitCode(), outputs.err());
        RunReport flow = Events.fromJson(outputs.out().getBytes(StandardCharsets.UTF_8), RunReport.class);
        assertEquals(RunStatus.SUCCESS, flow.status());
        var extract = flow.tasks().get(0);
        assertEquals(
                List.of("orders.csv", "order lines.csv", "customers.csv"),
                extract.outputs().get("files"));
        assertEquals(1234, extract.outputs().get("rows"));
        assertEquals("3", flow.tasks().get(1).outputs().get("tables"), "key=value outputs are text");
        var load = flow.tasks().get(2);
        assertTrue(
                load.renderedCommand().contains("from\" 's3://bucket/it'\\''s here'\n"),
                "the report shows the command as rendered: " + load.renderedCommand());
        assertTrue(
                load.stdoutTail()
                        .contains("loading 3 file(s) from s3://bucket/it's here\n  orders.csv\n"
                                + "  order lines.csv\n  customers.csv\nrows: 1234 (at least 10), tables: 3"),
                load.stdoutTail());
        Result table = dagctl("status", flow.runId());
        assertTrue(table.out().contains("OUTPUTS") && table.out().contains("tables=3"), table.out());

        Result branch =
                dagctl("submit", "-f", "examples/branching_dag.yaml", "--param", "size=5000", "--wait", "-o", "json");
        assertEquals(0, branch.exitCode(), branch.err());
        RunReport branched = Events.fromJson(branch.out().getBytes(StandardCharsets.UTF_8), RunReport.class);
        assertEquals(RunStatus.SUCCESS, branched.status(), "a skipped branch is not a failure");
        assertEquals(
                List.of(TaskStatus.SUCCESS, TaskStatus.SKIPPED, TaskStatus.SUCCESS, TaskStatus.SUCCESS),
                branched.tasks().stream().map(t -> t.status()).toList());
        assertTrue(branched.tasks().get(2).stdoutTail().contains("big input, 5 chunk(s)"));
        assertTrue(branched.tasks().get(3).stdoutTail().contains("published after big_path"));

        Result cleanup = dagctl("submit", "-f", "examples/cleanup_dag.yaml", "--wait");
        assertEquals(1, cleanup.exitCode(), "a clean-up that ran does not hide the failure: " + cleanup.out());
        assertTrue(cleanup.out().contains("| alert  | SUCCESS         |"), cleanup.out());
        assertTrue(cleanup.out().contains("| tidy   | SUCCESS         |"), cleanup.out());
        assertTrue(cleanup.out().contains("✗ report: upstream task 'work' ended FAILED"), cleanup.out());

        Result mapped = dagctl("submit", "-f", "examples/for_each_dag.yaml", "--wait", "-o", "json");
        assertEquals(0, mapped.exitCode(), mapped.err());
        RunReport each = Events.fromJson(mapped.out().getBytes(StandardCharsets.UTF_8), RunReport.class);
        assertEquals(RunStatus.SUCCESS, each.status());
        List<String> names = each.tasks().stream().map(t -> t.name()).toList();
        assertEquals(
                List.of(
                        "list_files",
                        "convert",
                        "convert[0]",
                        "convert[1]",
                        "convert[2]",
                        "convert[3]",
                        "convert[4]",
                        "convert[5]",
                        "per_region",
                        "per_region[0]",
                        "per_region[1]",
                        "per_region[2]",
                        "report"),
                names,
                "instances follow their mapped task in list order");
        var third = each.tasks().get(4);
        assertTrue(third.stdoutTail().contains("converting part-002.csv (instance 2)"), third.stdoutTail());
        assertTrue(
                each.tasks()
                        .get(12)
                        .stdoutTail()
                        .contains("converted 6 files; rows per file: 1200, 1200, 1200, 1200, 1200, 1200"),
                each.tasks().get(12).stdoutTail());
        assertTrue(each.tasks().get(10).stdoutTail().contains("checking region us"));

        Path flakyMap = Files.createTempFile("flaky-map", ".yaml");
        Files.writeString(flakyMap, """
                name: mapped_flaky
                tasks:
                  - {name: each, for_each: [1, 2, 3], command: '[ "$DAGCTL_ITEM" != 2 ] || [ "$DAGCTL_ATTEMPT" -ge 2 ]'}
                  - {name: any_ok, dependencies: [each], trigger_rule: one_success, command: 'true'}
                  - {name: strict, dependencies: [each], command: 'true'}
                """);
        String flakyRun = dagctl("submit", "-f", flakyMap.toString()).out().trim();
        RunReport failedOnce = awaitEnd(flakyRun);
        assertEquals(RunStatus.FAILED, failedOnce.status());
        assertEquals(TaskStatus.SUCCESS, task(failedOnce, "any_ok").status(), "one_success counts instances");
        assertEquals(TaskStatus.UPSTREAM_FAILED, task(failedOnce, "strict").status());
        assertEquals(0, dagctl("retry", flakyRun).exitCode());
        RunReport retried = awaitStatus(flakyRun, RunStatus.SUCCESS);
        assertEquals(1, task(retried, "each[0]").attempts(), "an instance that succeeded does not run again");
        assertEquals(2, task(retried, "each[1]").attempts());
        assertEquals(TaskStatus.SUCCESS, task(retried, "strict").status());
    }

    @Test
    void storedDagsAreVersionedTriggeredWithCheckedParametersAndSurviveDownAndUp() throws Exception {
        Result applied = dagctl("dags", "apply", "-f", "examples/params_dag.yaml");
        assertEquals(0, applied.exitCode(), applied.err());
        assertTrue(
                applied.out().matches("(?s)DAG 'daily_report' (stored as|unchanged) \\(?version \\d+\\)?.*"),
                applied.out());
        Result again = dagctl("dags", "apply", "-f", "examples/params_dag.yaml", "--json");
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(
                again.out().contains("\"changed\":false"),
                "applying the same DAG again changes nothing: " + again.out());

        Result badParams = dagctl("trigger", "daily_report", "--param", "shards=x");
        assertEquals(2, badParams.exitCode(), badParams.err());
        assertTrue(badParams.err().contains("daily_report: parameter 'day': missing"), badParams.err());
        assertTrue(
                badParams.err().contains("parameter 'shards': expected a whole number, got 'x' (int)"),
                badParams.err());

        Result run = dagctl("trigger", "daily_report", "--param", "day=2026-12-06", "--wait", "-o", "json");
        assertEquals(0, run.exitCode(), run.err());
        RunReport report = Events.fromJson(run.out().getBytes(StandardCharsets.UTF_8), RunReport.class);
        assertEquals(RunStatus.SUCCESS, report.status());
        assertEquals("manual", report.trigger());
        assertTrue(report.dagVersion() != null && report.dagVersion() >= 1, "the run names the version it ran");
        assertEquals("2026-12-06", report.params().get("day"));
        assertTrue(
                report.tasks().get(0).stdoutTail().startsWith("extracting 2026-12-06 in 2 shard(s)"),
                report.tasks().get(0).stdoutTail());

        Result list = dagctl("dags", "list");
        assertEquals(0, list.exitCode(), list.err());
        assertTrue(
                list.out()
                        .lines()
                        .anyMatch(
                                l -> l.contains("daily_report") && l.contains(report.runId()) && l.contains("SUCCESS")),
                list.out());
        Result show = dagctl("dags", "show", "daily_report");
        assertTrue(show.out().contains("day: string, required — the day to report on"), show.out());
        assertTrue(show.out().contains("report (python) after extract"), show.out());

        assertEquals(0, dagctl("dags", "pause", "daily_report").exitCode());
        Result paused = dagctl("trigger", "daily_report", "--param", "day=2026-12-07");
        assertEquals(2, paused.exitCode());
        assertTrue(paused.err().contains("is paused"), paused.err());

        assertEquals(0, dagctl("down").exitCode());
        assertEquals(0, dagctl("up", "--port", String.valueOf(port)).exitCode());
        Result afterRestart = dagctl("dags", "show", "daily_report", "--json");
        assertEquals(0, afterRestart.exitCode(), afterRestart.err());
        assertTrue(
                afterRestart.out().contains("\"paused\":true"), "stored DAGs survive down/up: " + afterRestart.out());
        assertEquals(0, dagctl("dags", "unpause", "daily_report").exitCode());
        assertEquals(0, dagctl("dags", "delete", "daily_report").exitCode());
        Result gone = dagctl("trigger", "daily_report", "--param", "day=2026-12-08");
        assertEquals(2, gone.exitCode());
        assertTrue(gone.err().contains("no stored DAG named 'daily_report'"), gone.err());
    }

    @Test
    void runsPastMaxActiveRunsWaitQueuedAndRunOneAfterAnotherInOrder() throws Exception {
        Result applied = dagctl("dags", "apply", "-f", "examples/runs_limit_dag.yaml");
        assertEquals(0, applied.exitCode(), applied.err());
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Result triggered = dagctl("trigger", "runs_limit_demo");
            assertEquals(0, triggered.exitCode(), triggered.err());
            runIds.add(triggered.out().strip());
            if (i > 0) {
                assertTrue(
                        triggered.err().contains("waits QUEUED"), "the trigger says the run waits: " + triggered.err());
            }
        }
        RunReport third = status(runIds.get(2));
        assertEquals(RunStatus.QUEUED, third.status(), "two runs are ahead of it");
        assertTrue(dagctl("status", runIds.get(2))
                .out()
                .contains("the run waits for a place under its DAG's max_active_runs"));
        Result show = dagctl("dags", "show", "runs_limit_demo");
        assertTrue(show.out().contains("Runs: 1 running (max_active_runs 1), 2 waiting"), show.out());

        List<long[]> spans = new ArrayList<>();
        for (String runId : runIds) {
            RunReport done = awaitStatus(runId, RunStatus.SUCCESS);
            var load = task(done, "load");
            spans.add(new long[] {
                Long.parseLong(String.valueOf(load.outputs().get("started"))),
                Long.parseLong(String.valueOf(load.outputs().get("ended")))
            });
        }
        for (int i = 1; i < spans.size(); i++) {
            assertTrue(
                    spans.get(i)[0] >= spans.get(i - 1)[1],
                    "run " + (i + 1) + " started after run " + i + " ended, in the order they were triggered");
        }
        await("the DAG's owner to count the last run's end")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> dagctl("dags", "list")
                        .out()
                        .lines()
                        .anyMatch(l -> l.contains("runs_limit_demo") && l.contains(" 0/1 ")));
    }

    @Test
    void tasksOfSeveralRunsShareAPoolNeverRunningMoreThanItHasAndWaitForAPoolWithoutASize() throws Exception {
        Result bad = dagctl("pools", "set", "no way", "2");
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("invalid pool name 'no way'"), bad.err());
        Result negative = dagctl("pools", "set", "warehouse", "-1");
        assertEquals(2, negative.exitCode(), negative.err());

        // no size yet: the tasks wait and say for what
        List<String> runIds = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Result submitted = dagctl("submit", "-f", "examples/pools_dag.yaml");
            assertEquals(0, submitted.exitCode(), submitted.err());
            runIds.add(submitted.out().strip());
        }
        RunReport waiting = awaitReport(
                runIds.get(0),
                "its tasks waiting for the pool",
                r -> task(r, "load_orders").waitingFor() != null);
        assertEquals("a slot of pool 'warehouse'", task(waiting, "load_orders").waitingFor());
        assertTrue(dagctl("status", runIds.get(0)).out().contains("| PENDING (pool) |"));
        await("both runs' loads waiting for the pool")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> dagctl("pools", "list")
                        .out()
                        .lines()
                        .anyMatch(l -> l.contains("warehouse") && l.contains("not set") && l.contains(" 6 ")));
        String coordinator = "http://127.0.0.1:" + port;
        await("the pool's gauges to count its waiting tasks")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> MetricsPage.scrape(coordinator).sum("dagctl_pool_waiting", "pool=\"warehouse\"") == 6);

        Result set = dagctl("pools", "set", "warehouse", "2");
        assertEquals(0, set.exitCode(), set.err());
        assertTrue(set.out().startsWith("Pool 'warehouse': 2 slot(s)"), set.out());
        List<long[]> spans = new ArrayList<>();
        for (String runId : runIds) {
            RunReport done = awaitStatus(runId, RunStatus.SUCCESS);
            for (var t : done.tasks()) {
                int slots = t.name().equals("rebuild_indexes") ? 2 : 1;
                spans.add(new long[] {
                    Long.parseLong(String.valueOf(t.outputs().get("started"))),
                    Long.parseLong(String.valueOf(t.outputs().get("ended"))),
                    slots
                });
            }
        }
        assertEquals(8, spans.size());
        long most = 0;
        for (long[] at : spans) {
            long inUse = spans.stream()
                    .filter(o -> o[0] <= at[0] && at[0] < o[1])
                    .mapToLong(o -> o[2])
                    .sum();
            most = Math.max(most, inUse);
        }
        assertEquals(2, most, "the pool's two slots were used, and never more, across both runs");
        await("every slot of the pool given back")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> dagctl("pools", "list", "--json")
                        .out()
                        .contains("\"name\":\"warehouse\",\"slots\":2,\"in_use\":0,\"free\":2,\"waiting\":0"));
        await("the pool's gauges to show its size and nothing in use")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    MetricsPage page = MetricsPage.scrape(coordinator);
                    return page.sum("dagctl_pool_slots", "pool=\"warehouse\"") == 2
                            && page.sum("dagctl_pool_in_use", "pool=\"warehouse\"") == 0
                            && page.sum("dagctl_pool_waiting", "pool=\"warehouse\"") == 0;
                });
    }

    @Test
    void aScheduledDagRunsByItselfOncePerTickUntilPaused() throws Exception {
        Path dag = Files.createTempFile("pulse", ".yaml");
        Files.writeString(
                dag,
                "name: pulse\nschedule:\n  every: 2s\n  overlap: allow\n"
                        + "tasks:\n  - {name: t, command: 'echo $DAGCTL_LOGICAL_DATE'}\n");
        try {
            Result applied = dagctl("dags", "apply", "-f", dag.toString());
            assertEquals(0, applied.exitCode(), applied.err());
            List<RunSummary> runs = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                Result listed = dagctl("runs", "--dag", "pulse", "-o", "json");
                runs = Events.fromJson(listed.out().getBytes(StandardCharsets.UTF_8), RunPage.class)
                        .runs();
                if (runs.size() >= 3) {
                    break;
                }
                Thread.sleep(1000);
            }
            assertTrue(runs.size() >= 3, "three ticks within a minute: " + runs);
            List<String> ids = runs.stream().map(RunSummary::runId).sorted().toList();
            assertEquals(ids.size(), ids.stream().distinct().count(), "each tick runs once: " + ids);
            RunReport first = status(ids.get(0));
            assertEquals("schedule", first.trigger());
            assertTrue(first.runId().startsWith("pulse."), first.runId());
            Result listing = dagctl("dags", "list");
            assertTrue(
                    listing.out().lines().anyMatch(l -> l.contains("pulse") && l.contains("every 2s")), listing.out());
            assertEquals(0, dagctl("dags", "pause", "pulse").exitCode());
            int atPause = dagctl("runs", "--dag", "pulse", "-o", "json").out().split("\"run_id\"").length;
            Thread.sleep(5000);
            int later = dagctl("runs", "--dag", "pulse", "-o", "json").out().split("\"run_id\"").length;
            assertTrue(later <= atPause + 1, "a paused DAG starts nothing (one tick may have been on its way)");

            Files.writeString(dag, Files.readString(dag).replace("every: 2s", "every: 1m"));
            assertEquals(0, dagctl("dags", "apply", "-f", dag.toString()).exitCode());
            Result older = dagctl("dags", "show", "pulse", "--version", "1");
            assertTrue(
                    older.out()
                            .contains("Schedule: every 2s, catchup latest, overlap allow (not in effect: the latest"
                                    + " version, 2, runs on every 1m)"),
                    older.out());
            Result latest = dagctl("dags", "show", "pulse");
            assertTrue(
                    latest.out().contains("Schedule: every 1m, catchup latest, overlap allow; next run"), latest.out());
        } finally {
            dagctl("dags", "delete", "pulse");
            Files.deleteIfExists(dag);
        }
    }

    /** The schedule's runs of DAG {@code dag}, by logical date, once at least {@code atLeast} exist (or a minute). */
    private List<Instant> logicalDates(String dag, int atLeast) throws Exception {
        List<Instant> dates = List.of();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            Result listed = dagctl("runs", "--dag", dag, "--limit", "1000", "-o", "json");
            dates = Events.fromJson(listed.out().getBytes(StandardCharsets.UTF_8), RunPage.class).runs().stream()
                    .filter(r -> "schedule".equals(r.trigger()))
                    .map(RunSummary::logicalDate)
                    .sorted()
                    .toList();
            if (dates.size() >= atLeast) {
                break;
            }
            Thread.sleep(1000);
        }
        return dates;
    }

    @Test
    void schedulesSurviveDownAndUpCatchingUpMissedTicksAndAPastWindowIsBackfilledOnce() throws Exception {
        Path dag = Files.createTempFile("ticker", ".yaml");
        Files.writeString(
                dag,
                "name: ticker\nschedule:\n  every: 2s\n  overlap: allow\n  catchup: all\n"
                        + "tasks:\n  - {name: t, command: 'echo $DAGCTL_TRIGGER $DAGCTL_LOGICAL_DATE'}\n");
        try {
            assertEquals(0, dagctl("dags", "apply", "-f", dag.toString()).exitCode());
            List<Instant> before = logicalDates("ticker", 2);
            assertTrue(before.size() >= 2, "two ticks before down: " + before);
            assertEquals(0, dagctl("down").exitCode());
            Thread.sleep(6000); // three ticks or more are missed
            assertEquals(0, dagctl("up", "--port", String.valueOf(port)).exitCode());
            List<Instant> after = logicalDates("ticker", before.size() + 8);
            assertEquals(0, dagctl("dags", "pause", "ticker").exitCode());
            after = logicalDates("ticker", 0);
            assertTrue(after.size() >= before.size() + 8, "ticks go on after up: " + after);
            for (int i = 1; i < after.size(); i++) {
                assertEquals(
                        Duration.ofSeconds(2),
                        Duration.between(after.get(i - 1), after.get(i)),
                        "every tick across down and up ran once (catchup: all), none twice: " + after);
            }

            Instant first = after.get(0);
            Result filled = dagctl(
                    "backfill",
                    "ticker",
                    "--from",
                    first.minusSeconds(10).toString(),
                    "--to",
                    first.minusSeconds(2).toString(),
                    "--max-parallel",
                    "2",
                    "--wait");
            assertEquals(0, filled.exitCode(), filled.out() + filled.err());
            assertTrue(filled.err().contains("backfill 1 of DAG 'ticker': 5 tick(s)"), filled.err());
            assertTrue(filled.out().lines().anyMatch(l -> l.matches("\\|\\s+1 \\| SUCCESS .*")), filled.out());
            RunReport backfilled = status(RunId.ofTick("ticker", first.minusSeconds(10)));
            assertEquals("backfill", backfilled.trigger());
            assertTrue(backfilled.tasks().get(0).stdoutTail().startsWith("backfill " + first.minusSeconds(10)));

            Result again = dagctl(
                    "backfill",
                    "ticker",
                    "--from",
                    first.minusSeconds(10).toString(),
                    "--to",
                    first.plusSeconds(2).toString(),
                    "--wait",
                    "--json");
            assertEquals(0, again.exitCode(), again.err());
            Backfill skipped = Events.fromJson(again.out().getBytes(StandardCharsets.UTF_8), Backfill.class);
            assertEquals(7, skipped.skipped(), "every tick of the window has a run already: " + again.out());
            assertEquals(0, skipped.started());

            Result listed = dagctl("backfills", "ticker");
            assertEquals(0, listed.exitCode(), listed.err());
            assertTrue(listed.out().contains("2 backfill(s)"), listed.out());
            Result future = dagctl("backfill", "ticker", "--from", "2026-01-01", "--to", "2999-01-01");
            assertEquals(2, future.exitCode());
            assertTrue(future.err().contains("is in the future"), future.err());
        } finally {
            dagctl("dags", "delete", "ticker");
            Files.deleteIfExists(dag);
        }
    }

    @Test
    void aWholeSessionAgainstALongLivedCluster() throws Exception {
        Result second = dagctl("up", "--port", String.valueOf(port));
        assertEquals(2, second.exitCode());
        assertTrue(second.err().contains("already running"), second.err());

        Result waited = dagctl("submit", "-f", "examples/retry_dag.yaml", "--wait", "--param", "DAY=2026-11-26");
        assertEquals(0, waited.exitCode(), waited.err());
        assertTrue(waited.out().contains("SUCCESS in"), waited.out());

        Result failedSubmit = dagctl("submit", "-f", "examples/failing_dag.yaml", "--wait");
        assertEquals(1, failedSubmit.exitCode(), failedSubmit.err());

        Path paramDag = Files.createTempFile("param", ".yaml");
        Files.writeString(
                paramDag, "name: params\ntasks:\n  - {name: show, command: 'echo \"day=$DAGCTL_PARAM_DAY\"'}\n");
        String keyed = dagctl(
                        "submit",
                        "-f",
                        paramDag.toString(),
                        "--param",
                        "DAY=2026-11-26",
                        "--idempotency-key",
                        "nightly-2026-11-26")
                .out()
                .trim();
        Result sameKey = dagctl(
                "submit",
                "-f",
                paramDag.toString(),
                "--param",
                "DAY=2026-11-26",
                "--idempotency-key",
                "nightly-2026-11-26");
        awaitEnd(keyed);
        Result again = dagctl(
                "submit",
                "-f",
                paramDag.toString(),
                "--param",
                "DAY=2026-11-26",
                "--idempotency-key",
                "nightly-2026-11-26");
        assertEquals(keyed, again.out().trim(), "the same idempotency key names the same run");
        assertTrue(again.err().contains("exists already"), again.err());
        assertTrue(sameKey.exitCode() == 0, sameKey.err());
        Result otherParams = dagctl("submit", "-f", paramDag.toString(), "--idempotency-key", "nightly-2026-11-26");
        assertEquals(2, otherParams.exitCode(), otherParams.err());
        assertTrue(otherParams.err().contains("run " + keyed), otherParams.err());
        assertTrue(otherParams.err().contains("other parameters"), otherParams.err());
        assertEquals("day=2026-11-26\n", dagctl("logs", keyed, "show").out());

        Path longDag = Files.createTempFile("long", ".yaml");
        Files.writeString(
                longDag,
                "name: long\ntasks:\n  - {name: sleeper, command: 'echo begun; sleep 300'}\n"
                        + "  - {name: after, command: 'true', dependencies: [sleeper]}\n");
        String longRun = dagctl("submit", "-f", longDag.toString()).out().trim();
        awaitTaskRunning(longRun, "sleeper");
        Result cancel = dagctl("cancel", longRun);
        assertEquals(0, cancel.exitCode(), cancel.err());
        RunReport cancelled = awaitEnd(longRun);
        assertEquals(RunStatus.CANCELLED, cancelled.status());
        Result cancelAgain = dagctl("cancel", longRun);
        assertEquals(2, cancelAgain.exitCode());
        assertTrue(cancelAgain.err().contains("nothing to cancel"), cancelAgain.err());

        Path flaky = Files.createTempFile("flaky", ".yaml");
        Files.writeString(flaky, "name: flaky_once\ntasks:\n  - {name: f, command: '[ \"$DAGCTL_ATTEMPT\" -ge 2 ]'}\n");
        String flakyRun = dagctl("submit", "-f", flaky.toString()).out().trim();
        assertEquals(RunStatus.FAILED, awaitEnd(flakyRun).status());
        assertEquals(1, dagctl("status", flakyRun).exitCode());
        assertEquals(0, dagctl("retry", flakyRun).exitCode());
        RunReport retried = awaitStatus(flakyRun, RunStatus.SUCCESS);
        assertEquals(2, retried.tasks().get(0).attempts());

        Result runs = dagctl("runs", "--status", "CANCELLED", "-o", "json");
        RunPage page = Events.fromJson(runs.out().getBytes(StandardCharsets.UTF_8), RunPage.class);
        assertEquals(List.of(longRun), page.runs().stream().map(r -> r.runId()).toList());
        assertTrue(dagctl("runs").out().contains("| long "), "table listing");

        assertEquals(0, dagctl("down").exitCode());
        Result unreachable = dagctl("runs");
        assertEquals(3, unreachable.exitCode());
        assertTrue(unreachable.err().contains("dagctl up"), unreachable.err());
        Result up = dagctl("up", "--port", String.valueOf(port));
        assertEquals(0, up.exitCode(), up.err());
        assertEquals(RunStatus.CANCELLED, status(longRun).status(), "runs survive down/up");
        assertEquals("day=2026-11-26\n", dagctl("logs", keyed, "show").out(), "logs survive down/up");
        assertTrue(dagctl("logs", longRun, "sleeper").out().startsWith("begun"));

        Result unauthorised = dagctl("runs", "--token", "wrong");
        assertEquals(3, unauthorised.exitCode());
        assertTrue(unauthorised.err().contains("refused the token"), unauthorised.err());
        Result completion = dagctl("completion");
        assertTrue(
                completion.out().contains("complete -F"),
                completion.out().substring(0, Math.min(200, completion.out().length())));
    }

    private RunReport awaitEnd(String runId) {
        return awaitReport(runId, "end", report -> report.status().isTerminal());
    }

    private RunReport awaitStatus(String runId, RunStatus wanted) {
        return awaitReport(runId, "be " + wanted, report -> report.status() == wanted);
    }

    private void awaitTaskRunning(String runId, String task) {
        awaitReport(
                runId,
                "run " + task,
                report -> report.tasks().stream()
                        .anyMatch(t -> t.name().equals(task) && t.status() == TaskStatus.RUNNING));
    }

    /** Asks {@code dagctl status} until the run's report passes {@code wanted}. */
    private RunReport awaitReport(String runId, String what, Predicate<RunReport> wanted) {
        return await("run " + runId + " to " + what)
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(300))
                .until(() -> statusOrNull(runId), report -> report != null && wanted.test(report));
    }

    private RunReport statusOrNull(String runId) throws Exception {
        Result r = dagctl("status", runId, "-o", "json");
        return r.out().isBlank() ? null : Events.fromJson(r.out().getBytes(StandardCharsets.UTF_8), RunReport.class);
    }
}
