package io.dagctl.e2e.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.event.Topics;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.RunSummary;
import io.dagctl.e2e.ManagedProcess;
import io.dagctl.e2e.ProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The chaos suite (Maven profile {@code chaos}, {@code e2e/run-chaos.sh}): processes are killed with SIGKILL while a
 * DAG runs, and nothing may be lost or stuck. Writes e2e/target/chaos-report.json and prints it as a table.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ChaosIT {

    private static final boolean QUICK = Boolean.getBoolean("chaos.quick");
    private static final int TASKS = QUICK ? 300 : 2000;
    private static final int TRIALS = QUICK ? 2 : 5;
    // each replacement is a JVM start (about 3 s of CPU on these 2 cores): kill for a bounded time, then let it finish
    private static final int WORKER_KILLS = QUICK ? 3 : 8;
    private static final Duration WORKER_KILL_EVERY = Duration.ofSeconds(QUICK ? 4 : 6);
    private static final Duration STUCK_AFTER = Duration.ofMinutes(QUICK ? 4 : 10);
    private static final String EVENTS_TOPIC = Topics.defaults().events();

    private final List<ScenarioResult> results = new ArrayList<>();
    private final Random random = new Random(42);

    @AfterAll
    void report() throws Exception {
        Path target = Path.of("target");
        Files.createDirectories(target);
        Files.writeString(
                target.resolve("chaos-report.json"),
                Events.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(results));
        System.out.println(ChaosReport.table(results, QUICK));
    }

    private Path newDir(String scenario) throws Exception {
        return Files.createTempDirectory("dagctl-chaos-" + scenario + "-");
    }

    /** Polls (through any live coordinator) until the run ends or is declared stuck. */
    private Optional<RunReport> awaitEnd(ProcessCluster cluster, String runId, Instant started) {
        Duration left = STUCK_AFTER.minus(Duration.between(started, Instant.now()));
        try {
            return await("run " + runId + " to end")
                    .atMost(left.isNegative() ? Duration.ofMillis(1) : left)
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> ChaosApi.report(cluster.liveApi(), runId),
                            report ->
                                    report.isPresent() && report.get().status().isTerminal());
        } catch (ConditionTimeoutException stuck) {
            return Optional.empty();
        }
    }

    private ScenarioResult result(
            String scenario,
            ProcessCluster cluster,
            ChaosDag dag,
            Optional<RunReport> end,
            Long failoverGap,
            Long deadWorkerGap,
            int kills,
            Instant started)
            throws Exception {
        return result(scenario, cluster, dag, end, failoverGap, deadWorkerGap, kills, Set.of(), started);
    }

    private ScenarioResult result(
            String scenario,
            ProcessCluster cluster,
            ChaosDag dag,
            Optional<RunReport> end,
            Long failoverGap,
            Long deadWorkerGap,
            int kills,
            Set<String> killedWorkers,
            Instant started)
            throws Exception {
        int succeeded = end.map(r -> (int) r.tasks().stream()
                        .filter(t -> t.status() == TaskStatus.SUCCESS)
                        .count())
                .orElse(0);
        ScenarioResult result = new ScenarioResult(
                scenario,
                dag.taskCount(),
                succeeded,
                dag.taskCount() - succeeded,
                end.isPresent() ? 0 : 1,
                dag.duplicateExecutions(),
                dag.duplicatesNotAfterAKill(killedWorkers),
                ChaosApi.deadLetters(cluster.bootstrap()),
                cluster.zombieReports(),
                failoverGap,
                deadWorkerGap,
                kills,
                Duration.between(started, Instant.now()).toMillis());
        results.add(result);
        return result;
    }

    @Test
    @Order(1)
    void workersKilledEveryFewSeconds() throws Exception {
        Path dir = newDir("workers");
        try (ProcessCluster cluster = new ProcessCluster(dir, 1)) {
            cluster.startBrokers();
            cluster.addCoordinator();
            for (int i = 0; i < 3; i++) {
                cluster.addWorker(4);
            }
            ProcessCluster.awaitReady(cluster.apiUrls.get(0), Duration.ofSeconds(120));
            ChaosDag dag = new ChaosDag(TASKS, dir.resolve("side-effects.txt"));
            Instant started = Instant.now();
            String runId = ChaosApi.submit(cluster.apiUrls.get(0), dag.yaml("chaos_workers"));
            List<Instant> killTimes = new ArrayList<>();
            List<String> killed = new ArrayList<>();
            Thread.sleep(4000);
            while (ChaosApi.report(cluster.apiUrls.get(0), runId)
                            .map(r -> !r.status().isTerminal())
                            .orElse(true)
                    && killTimes.size() < WORKER_KILLS) {
                ManagedProcess victim = busyWorker(cluster, runId);
                killTimes.add(Instant.now());
                victim.kill();
                killed.add(victim.name);
                cluster.addWorker(4);
                Thread.sleep(WORKER_KILL_EVERY.toMillis());
            }
            Optional<RunReport> end = awaitEnd(cluster, runId, started);
            List<RunEvent> events = ChaosApi.events(cluster.bootstrap(), EVENTS_TOPIC, runId);
            List<Long> gaps = new ArrayList<>();
            for (int i = 0; i < killTimes.size(); i++) {
                gaps.add(Gaps.deadWorker(events, killTimes.get(i), killed.get(i)));
            }
            System.out.println("worker kills: dead-worker gaps (ms) " + gaps);
            ScenarioResult r = result(
                    "worker_kill",
                    cluster,
                    dag,
                    end,
                    null,
                    Gaps.median(gaps),
                    killTimes.size(),
                    Set.copyOf(killed),
                    started);
            assertTrue(r.passed(), r.toString());
            assertTrue(
                    end.get().status() == RunStatus.SUCCESS, end.get().status().name());
        }
    }

    /**
     * Kills the live coordinator for whose API {@code owns} holds, starts another in its place and waits until it is
     * ready; false when no live coordinator owns it.
     */
    private static boolean killOwner(ProcessCluster cluster, java.util.function.Predicate<String> owns)
            throws Exception {
        for (int i = 0; i < cluster.coordinators.size(); i++) {
            if (cluster.coordinators.get(i).isAlive() && owns.test(cluster.apiUrls.get(i))) {
                cluster.coordinators.get(i).kill();
                cluster.addCoordinator();
                ProcessCluster.awaitReady(cluster.apiUrls.get(cluster.apiUrls.size() - 1), Duration.ofSeconds(120));
                return true;
            }
        }
        return false;
    }

    /** A random live worker that is running a task of the run now (a kill of an idle worker shows nothing). */
    private ManagedProcess busyWorker(ProcessCluster cluster, String runId) {
        List<ManagedProcess> alive =
                cluster.workers.stream().filter(ManagedProcess::isAlive).toList();
        Set<String> busy = ChaosApi.report(cluster.apiUrls.get(0), runId)
                .map(r -> r.tasks().stream()
                        .filter(t -> t.status() == TaskStatus.RUNNING)
                        .map(t -> t.workerId())
                        .collect(Collectors.toSet()))
                .orElse(Set.of());
        List<ManagedProcess> candidates =
                alive.stream().filter(w -> busy.contains(w.name)).toList();
        List<ManagedProcess> pool = candidates.isEmpty() ? alive : candidates;
        return pool.get(random.nextInt(pool.size()));
    }

    /**
     * What an autoscaler does all day: workers join every few seconds, and leave, gracefully (SIGTERM) or not
     * (SIGKILL), while thousands of tasks of varied length run. A task may run twice only where a worker was killed.
     */
    @Test
    @Order(5)
    void workersJoinAndLeaveWhileTasksRun() throws Exception {
        Path dir = newDir("scaling");
        try (ProcessCluster cluster = new ProcessCluster(dir, 1)) {
            cluster.startBrokers();
            cluster.addCoordinator();
            cluster.addWorker(4);
            cluster.addWorker(4);
            ProcessCluster.awaitReady(cluster.apiUrls.get(0), Duration.ofSeconds(120));
            // mostly short tasks, every seventh one longer (2 to 4 s): long ones run through every membership change
            ChaosDag dag = new ChaosDag(
                    QUICK ? 600 : 3000, dir.resolve("side-effects.txt"), i -> i % 7 == 0 ? (2 + i % 3) + ".0" : "0.1");
            Instant started = Instant.now();
            String runId = ChaosApi.submit(cluster.apiUrls.get(0), dag.yaml("chaos_scaling"));
            List<String> script = QUICK
                    ? List.of("join", "leave", "join", "kill", "join", "leave")
                    : List.of(
                            "join", "join", "leave", "join", "kill", "join", "leave", "join", "leave", "kill", "join",
                            "leave");
            Set<String> killed = new HashSet<>();
            List<Thread> leaving = new ArrayList<>();
            int graceful = 0;
            Thread.sleep(3000);
            for (String action : script) {
                if (ChaosApi.report(cluster.apiUrls.get(0), runId)
                        .map(r -> r.status().isTerminal())
                        .orElse(false)) {
                    break;
                }
                List<ManagedProcess> alive =
                        cluster.workers.stream().filter(ManagedProcess::isAlive).toList();
                if (action.equals("join") || alive.size() < 2) {
                    cluster.addWorker(4);
                } else {
                    ManagedProcess victim = busyWorker(cluster, runId);
                    if (action.equals("kill")) {
                        killed.add(victim.name);
                        victim.kill();
                    } else {
                        graceful++;
                        Thread stop = new Thread(() -> {
                            try {
                                victim.stop(); // SIGTERM: it drains and leaves
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        });
                        stop.start();
                        leaving.add(stop);
                    }
                }
                Thread.sleep(4000);
            }
            for (Thread stop : leaving) {
                stop.join(60_000);
            }
            Optional<RunReport> end = awaitEnd(cluster, runId, started);
            ScenarioResult r =
                    result("workers_scaled", cluster, dag, end, null, null, killed.size() + graceful, killed, started);
            System.out.println("scaling: " + graceful + " graceful leave(s), " + killed.size() + " kill(s): " + r);
            assertTrue(r.passed(), r.toString());
            assertEquals(
                    0,
                    r.duplicatesNotAfterAKill(),
                    "graceful joins and leaves never run a task twice: " + r + "; killed " + killed
                            + "; runs no kill explains: " + dag.unexplainedDuplicates(killed));
        }
    }

    @Test
    @Order(2)
    void owningCoordinatorKilled() throws Exception {
        coordinatorKills("coordinator", "coordinator_kill", Map.of(), Map.of());
    }

    /**
     * The same with the group session a stock broker allows at least (6 s, {@code group.min.session.timeout.ms}):
     * the failover figure of a Kafka cluster dagctl does not configure, beside the one above. The instances still watch
     * each other's processes (PeerLiveness), so a killed process is noticed as quickly; the session matters where the
     * watch cannot see the death (a dead machine).
     */
    @Test
    @Order(7)
    void owningCoordinatorKilledWithTheStockBrokersSession() throws Exception {
        coordinatorKills(
                "coordinator-stock",
                "coordinator_kill_stock_session",
                Map.of(),
                Map.of("DAGCTL_COORDINATOR_SESSION_TIMEOUT", "6s"));
    }

    /**
     * The same with the instances' liveness ports unwatched ({@code peer-liveness=false}): the 1 s group session alone
     * notices the killed owner, the figure where the instances cannot reach each other's ports.
     */
    @Test
    @Order(8)
    void owningCoordinatorKilledNoticedByTheSessionAlone() throws Exception {
        coordinatorKills(
                "coordinator-session",
                "coordinator_kill_session_only",
                Map.of(),
                Map.of("DAGCTL_COORDINATOR_PEER_LIVENESS", "false"));
    }

    /**
     * The same with the opt-in fast mode whose workers take dispatches before their transaction commits: a dispatch
     * of the killed owner's open transaction may have started, and runs again when the next owner dispatches it. Nothing
     * may be lost or stuck; the duplicates are what the mode costs, counted in the report.
     */
    @Test
    @Order(6)
    void owningCoordinatorKilledWhileWorkersReadUncommittedDispatches() throws Exception {
        ScenarioResult r = coordinatorKills(
                "coordinator-uncommitted",
                "coordinator_kill_uncommitted_reads",
                Map.of("DAGCTL_WORKER_DISPATCH_READS", "uncommitted"),
                Map.of());
        System.out.println("uncommitted dispatch reads: " + r.duplicateExecutions() + " task(s) ran twice");
    }

    private ScenarioResult coordinatorKills(
            String dirName,
            String scenario,
            Map<String, String> workerSettings,
            Map<String, String> coordinatorSettings)
            throws Exception {
        Path dir = newDir(dirName);
        try (ProcessCluster cluster =
                new ProcessCluster(dir, 1).workerSettings(workerSettings).coordinatorSettings(coordinatorSettings)) {
            cluster.startBrokers();
            cluster.addCoordinator();
            cluster.addCoordinator();
            cluster.addWorker(4);
            cluster.addWorker(4);
            ProcessCluster.awaitReady(cluster.apiUrls.get(0), Duration.ofSeconds(120));
            ProcessCluster.awaitReady(cluster.apiUrls.get(1), Duration.ofSeconds(120));
            ChaosDag dag = new ChaosDag(TASKS, dir.resolve("side-effects.txt"));
            Instant started = Instant.now();
            String runId = ChaosApi.submit(cluster.apiUrls.get(0), dag.yaml("chaos_coordinator"));
            List<Instant> killTimes = new ArrayList<>();
            Thread.sleep(3000);
            for (int trial = 0; trial < (QUICK ? 1 : TRIALS); trial++) {
                int owner = -1;
                for (int i = 0; i < cluster.coordinators.size() && owner < 0; i++) {
                    if (cluster.coordinators.get(i).isAlive() && ChaosApi.owns(cluster.apiUrls.get(i), runId)) {
                        owner = i;
                    }
                }
                if (owner < 0
                        || ChaosApi.report(cluster.liveApi(), runId)
                                .map(r -> r.status().isTerminal())
                                .orElse(false)) {
                    break;
                }
                killTimes.add(Instant.now());
                cluster.coordinators.get(owner).kill();
                // to read beside the survivors' logs (which say when they noticed and when their partitions moved)
                System.out.println("killed coordinator " + owner + " at " + killTimes.get(killTimes.size() - 1));
                cluster.addCoordinator();
                ProcessCluster.awaitReady(cluster.apiUrls.get(cluster.apiUrls.size() - 1), Duration.ofSeconds(120));
                Thread.sleep(3000);
            }
            Optional<RunReport> end = awaitEnd(cluster, runId, started);
            List<RunEvent> events = ChaosApi.events(cluster.bootstrap(), EVENTS_TOPIC, runId);
            List<Long> gaps =
                    killTimes.stream().map(k -> Gaps.failover(events, k)).toList();
            System.out.println("coordinator kills: failover gaps (ms) " + gaps);
            ScenarioResult r = result(scenario, cluster, dag, end, Gaps.median(gaps), null, killTimes.size(), started);
            assertTrue(r.passed(), r.toString());
            assertTrue(!killTimes.isEmpty(), "the owner was found and killed");
            return r;
        }
    }

    @Test
    @Order(3)
    void oneBrokerOfThreeKilled() throws Exception {
        Path dir = newDir("broker");
        try (ProcessCluster cluster = new ProcessCluster(dir, 3)) {
            cluster.startBrokers();
            cluster.addCoordinator();
            cluster.addWorker(4);
            cluster.addWorker(4);
            ProcessCluster.awaitReady(cluster.apiUrls.get(0), Duration.ofSeconds(180));
            ChaosDag dag = new ChaosDag(QUICK ? TASKS / 2 : TASKS, dir.resolve("side-effects.txt"));
            Instant started = Instant.now();
            String runId = ChaosApi.submit(cluster.apiUrls.get(0), dag.yaml("chaos_broker"));
            Thread.sleep(4000);
            cluster.brokers.get(2).kill();
            Optional<RunReport> end = awaitEnd(cluster, runId, started);
            ScenarioResult r = result("broker_kill", cluster, dag, end, null, null, 1, started);
            assertTrue(r.passed(), r.toString());
        }
    }

    @Test
    @Order(4)
    void everythingStoppedAndStartedAgain() throws Exception {
        Path dir = newDir("restart");
        try (ProcessCluster cluster = new ProcessCluster(dir, 1)) {
            cluster.startBrokers();
            ManagedProcess coordinator = cluster.addCoordinator();
            cluster.addWorker(4);
            cluster.addWorker(4);
            ProcessCluster.awaitReady(cluster.apiUrls.get(0), Duration.ofSeconds(120));
            ChaosDag dag = new ChaosDag(QUICK ? TASKS / 2 : TASKS, dir.resolve("side-effects.txt"));
            Instant started = Instant.now();
            String runId = ChaosApi.submit(cluster.apiUrls.get(0), dag.yaml("chaos_restart"));
            Thread.sleep(5000);
            for (ManagedProcess worker : cluster.workers) {
                worker.kill();
            }
            coordinator.kill();
            cluster.brokers.get(0).kill();
            Instant killedAt = Instant.now();
            Thread.sleep(1000);
            cluster.startBrokers();
            coordinator.start();
            for (ManagedProcess worker : cluster.workers) {
                worker.start();
            }
            ProcessCluster.awaitReady(cluster.apiUrls.get(0), Duration.ofSeconds(180));
            Optional<RunReport> end = awaitEnd(cluster, runId, started);
            List<RunEvent> events = ChaosApi.events(cluster.bootstrap(), EVENTS_TOPIC, runId);
            Set<String> everyWorker = cluster.workers.stream().map(w -> w.name).collect(Collectors.toSet());
            ScenarioResult r = result(
                    "full_restart", cluster, dag, end, Gaps.failover(events, killedAt), null, 1, everyWorker, started);
            assertTrue(r.passed(), r.toString());
        }
    }

    /**
     * Many stored DAGs scheduled every second while the coordinator instances owning them are killed one after the
     * other: every tick from each DAG's first to its pause has exactly one run, which ran once and succeeded. Ticks
     * due during a failover are caught up ({@code catchup: all}); the longest lag from a tick to its run is reported
     * as the failover gap.
     */
    @Test
    @Order(5)
    void schedulesFireEveryTickOnceWhileTheirOwnersAreKilled() throws Exception {
        int dagCount = QUICK ? 10 : 40;
        int kills = QUICK ? 2 : 5;
        Duration between = Duration.ofSeconds(QUICK ? 12 : 20);
        Path dir = newDir("schedules");
        Path effects = dir.resolve("tick-effects.txt");
        try (ProcessCluster cluster = new ProcessCluster(dir, 1)) {
            cluster.startBrokers();
            cluster.addCoordinator();
            cluster.addCoordinator();
            cluster.addWorker(8);
            ProcessCluster.awaitReady(cluster.apiUrls.get(0), Duration.ofSeconds(120));
            ProcessCluster.awaitReady(cluster.apiUrls.get(1), Duration.ofSeconds(120));
            Instant started = Instant.now();
            List<String> names = new ArrayList<>();
            for (int i = 0; i < dagCount; i++) {
                String name = "tick_" + i;
                names.add(name);
                ChaosApi.applyDag(
                        cluster.apiUrls.get(i % 2),
                        name,
                        "name: " + name + "\nschedule:\n  every: 1s\n  overlap: allow\n  catchup: all\n"
                                + "tasks:\n  - {name: t, command: 'echo \"$DAGCTL_RUN_ID\" >> " + effects + "'}\n");
            }
            Instant applied = Instant.now();
            Thread.sleep(between.toMillis());
            int killed = 0;
            for (int k = 0; k < kills; k++) {
                // the oldest live instance: each kill takes partitions from an instance that has held them longest
                for (ManagedProcess coordinator : cluster.coordinators) {
                    if (coordinator.isAlive()) {
                        coordinator.kill();
                        killed++;
                        break;
                    }
                }
                cluster.addCoordinator();
                ProcessCluster.awaitReady(cluster.apiUrls.get(cluster.apiUrls.size() - 1), Duration.ofSeconds(120));
                Thread.sleep(between.toMillis());
            }
            Instant pausing = Instant.now();
            for (String name : names) {
                await("pause " + name)
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> ChaosApi.pause(cluster.liveApi(), name));
            }
            int expected = 0;
            int ran = 0;
            int stuck = 0;
            long duplicates = 0;
            long maxLagMs = 0;
            List<String> problems = new ArrayList<>();
            Map<String, List<RunSummary>> runsOf = new HashMap<>();
            for (String name : names) {
                Optional<List<RunSummary>> listed;
                try {
                    listed = await("the runs of " + name + " to end")
                            .atMost(STUCK_AFTER)
                            .pollInterval(Duration.ofSeconds(1))
                            .until(
                                    () -> ChaosApi.runs(cluster.liveApi(), name),
                                    runs -> runs.isPresent()
                                            && runs.get().stream()
                                                    .allMatch(r -> r.status().isTerminal()));
                } catch (ConditionTimeoutException e) {
                    listed = ChaosApi.runs(cluster.liveApi(), name);
                }
                runsOf.put(name, listed.orElse(List.of()));
            }
            // read once every run has ended: a run still going when the file was read would look never executed
            Map<String, Long> executions = Files.exists(effects)
                    ? Files.readAllLines(effects).stream()
                            .collect(Collectors.groupingBy(line -> line.strip(), Collectors.counting()))
                    : Map.of();
            for (String name : names) {
                List<RunSummary> runs = runsOf.get(name);
                List<Instant> ticks =
                        runs.stream().map(RunSummary::logicalDate).sorted().toList();
                if (ticks.isEmpty()) {
                    problems.add(name + ": no run at all");
                    continue;
                }
                Instant first = ticks.get(0);
                Instant last = ticks.get(ticks.size() - 1);
                int window = (int) Duration.between(first, last).toSeconds() + 1;
                expected += window;
                long distinct = ticks.stream().distinct().count();
                if (distinct < ticks.size()) {
                    problems.add(name + ": a tick with two runs");
                }
                if (first.isAfter(applied.plusSeconds(2))) {
                    problems.add(name + ": first tick " + first + " long after it was stored at " + applied);
                }
                if (last.isBefore(pausing.minusSeconds(3))) {
                    problems.add(name + ": last tick " + last + " long before the pause at " + pausing);
                }
                for (RunSummary run : runs) {
                    maxLagMs = Math.max(
                            maxLagMs,
                            Duration.between(run.logicalDate(), run.submittedAt())
                                    .toMillis());
                    long times = executions.getOrDefault(run.runId(), 0L);
                    duplicates += Math.max(0, times - 1);
                    if (run.status() == RunStatus.SUCCESS && times >= 1) {
                        ran++;
                    } else if (!run.status().isTerminal()) {
                        stuck++;
                    } else {
                        problems.add(run.runId() + ": " + run.status() + ", executed " + times + " time(s)");
                    }
                }
            }
            ScenarioResult r = new ScenarioResult(
                    "schedules_owner_kill",
                    expected,
                    ran,
                    expected - ran - stuck,
                    stuck,
                    duplicates,
                    0,
                    ChaosApi.deadLetters(cluster.bootstrap()),
                    cluster.zombieReports(),
                    maxLagMs,
                    null,
                    killed,
                    Duration.between(started, Instant.now()).toMillis());
            results.add(r);
            System.out.println("schedules: " + dagCount + " DAGs every 1s, " + expected + " ticks, longest tick-to-run"
                    + " lag " + maxLagMs + " ms" + (problems.isEmpty() ? "" : "; problems: " + problems));
            assertTrue(problems.isEmpty(), problems.toString());
            assertTrue(r.passed(), r.toString());
            assertEquals(kills, killed);
        }
    }

    /**
     * A run with {@code max_active_tasks: 3} over 8 worker slots while its owning coordinator is killed: the tasks'
     * own record of when they ran must never show more than 3 at once (the count and the held tasks are in the run's
     * state, so the next owner goes on from them), every task runs once, and the run ends.
     */
    @Test
    @Order(9)
    void aRunsTaskLimitHoldsWhileItsOwnerIsKilled() throws Exception {
        int tasks = QUICK ? 60 : 200;
        int limit = 3;
        Path dir = newDir("run-limit");
        Path effects = dir.resolve("limit-effects.txt");
        StringBuilder yaml = new StringBuilder("name: chaos_limit\nmax_active_tasks: " + limit + "\ntasks:\n");
        for (int i = 0; i < tasks; i++) {
            yaml.append("  - {name: t")
                    .append(i)
                    .append(", command: 'echo \"start $DAGCTL_TASK_NAME $(date +%s%N)\" >> ")
                    .append(effects)
                    .append("; sleep 0.3; echo \"end $DAGCTL_TASK_NAME $(date +%s%N)\" >> ")
                    .append(effects)
                    .append("'}\n");
        }
        try (ProcessCluster cluster = new ProcessCluster(dir, 1)) {
            cluster.startBrokers();
            cluster.addCoordinator();
            cluster.addCoordinator();
            cluster.addWorker(4);
            cluster.addWorker(4);
            ProcessCluster.awaitReady(cluster.apiUrls.get(0), Duration.ofSeconds(120));
            ProcessCluster.awaitReady(cluster.apiUrls.get(1), Duration.ofSeconds(120));
            Instant started = Instant.now();
            String runId = ChaosApi.submit(cluster.apiUrls.get(0), yaml.toString());
            int kills = 0;
            for (int trial = 0; trial < (QUICK ? 1 : 3); trial++) {
                Thread.sleep(3000);
                if (!killOwner(cluster, api -> ChaosApi.owns(api, runId))) {
                    break;
                }
                kills++;
            }
            Optional<RunReport> end = awaitEnd(cluster, runId, started);
            Concurrency seen = Concurrency.read(effects);
            int most = seen.most();
            long duplicates = seen.duplicates();
            int succeeded = end.map(r -> (int) r.tasks().stream()
                            .filter(t -> t.status() == TaskStatus.SUCCESS)
                            .count())
                    .orElse(0);
            ScenarioResult r = new ScenarioResult(
                    "run_limit_owner_kill",
                    tasks,
                    succeeded,
                    end.isPresent() ? tasks - succeeded : 0,
                    end.isPresent() ? 0 : 1,
                    duplicates,
                    duplicates,
                    ChaosApi.deadLetters(cluster.bootstrap()),
                    cluster.zombieReports(),
                    null,
                    null,
                    kills,
                    Duration.between(started, Instant.now()).toMillis());
            results.add(r);
            System.out.println("run limit " + limit + ": at most " + most + " tasks ran at once over " + kills
                    + " owner kill(s); " + duplicates + " ran twice");
            assertTrue(r.passed(), r.toString());
            assertEquals(RunStatus.SUCCESS, end.get().status());
            assertTrue(most <= limit, "at most " + limit + " at once, the tasks saw " + most);
            assertEquals(limit, most, "the limit's places were used");
            assertEquals(0, duplicates, "no task ran twice: no worker was killed");
            assertTrue(kills > 0, "the owner was found and killed");
        }
    }

    /**
     * Hundreds of tasks of several runs on a pool of 3 while the pool's owning coordinator is killed, then a worker
     * running some of them: the tasks' own record of when they ran must never show more than 3 at once across all runs
     * (the count, the claims and the waiting line are in the owner's state, each grant is written in the transaction
     * that counts it, and a lost attempt's slot stays with its task for the next attempt), only a task cut short by the
     * worker kill runs again, every run succeeds, and the pool ends with nothing in use and nothing waiting.
     */
    @Test
    @Order(10)
    void aPoolHoldsAcrossRunsWhileItsOwnerIsKilled() throws Exception {
        int runs = 4;
        int tasksPerRun = QUICK ? 40 : 100;
        int slots = 3;
        Path dir = newDir("pool");
        Path effects = dir.resolve("pool-effects.txt");
        StringBuilder yaml = new StringBuilder("name: chaos_pool\ntasks:\n");
        for (int i = 0; i < tasksPerRun; i++) {
            yaml.append("  - {name: t")
                    .append(i)
                    .append(", pool: chaos, command: 'echo \"start $DAGCTL_RUN_ID/$DAGCTL_TASK_NAME $(date +%s%N)"
                            + " $DAGCTL_WORKER_ID\" >> ")
                    .append(effects)
                    .append("; sleep 0.2; echo \"end $DAGCTL_RUN_ID/$DAGCTL_TASK_NAME $(date +%s%N)\" >> ")
                    .append(effects)
                    .append("'}\n");
        }
        try (ProcessCluster cluster = new ProcessCluster(dir, 1)) {
            cluster.startBrokers();
            cluster.addCoordinator();
            cluster.addCoordinator();
            cluster.addWorker(4);
            cluster.addWorker(4);
            ProcessCluster.awaitReady(cluster.apiUrls.get(0), Duration.ofSeconds(120));
            ProcessCluster.awaitReady(cluster.apiUrls.get(1), Duration.ofSeconds(120));
            ChaosApi.setPool(cluster.apiUrls.get(0), "chaos", slots);
            Instant started = Instant.now();
            List<String> runIds = new ArrayList<>();
            for (int r = 0; r < runs; r++) {
                runIds.add(ChaosApi.submit(cluster.apiUrls.get(r % 2), yaml.toString()));
            }
            int kills = 0;
            List<Long> workerKills = new ArrayList<>();
            for (int trial = 0; trial < (QUICK ? 1 : 3); trial++) {
                Thread.sleep(4000);
                if (trial == 0) {
                    // a worker that runs tasks of the pool now: its attempts are lost, their processes killed with it
                    Set<String> busy = Concurrency.runningOn(effects);
                    Optional<ManagedProcess> victim = cluster.workers.stream()
                            .filter(w -> w.isAlive() && busy.contains(w.name))
                            .findFirst();
                    if (victim.isPresent()) {
                        victim.get().kill();
                        Instant killedAt = Instant.now();
                        workerKills.add(killedAt.getEpochSecond() * 1_000_000_000L + killedAt.getNano());
                        kills++;
                        cluster.addWorker(4);
                    }
                }
                if (!killOwner(cluster, api -> ChaosApi.ownsPool(api, "chaos"))) {
                    break;
                }
                kills++;
            }
            List<Optional<RunReport>> ends = new ArrayList<>();
            for (String runId : runIds) {
                ends.add(awaitEnd(cluster, runId, started));
            }
            Concurrency seen = Concurrency.read(effects, workerKills);
            int most = seen.most();
            long duplicates = seen.duplicates();
            int total = runs * tasksPerRun;
            int succeeded = ends.stream()
                    .mapToInt(end -> end.map(r -> (int) r.tasks().stream()
                                    .filter(t -> t.status() == TaskStatus.SUCCESS)
                                    .count())
                            .orElse(0))
                    .sum();
            int unfinished = (int) ends.stream().filter(Optional::isEmpty).count();
            ScenarioResult r = new ScenarioResult(
                    "pool_owner_kill",
                    total,
                    succeeded,
                    total - succeeded - unfinished * tasksPerRun,
                    unfinished,
                    duplicates,
                    Math.max(0, duplicates - seen.cutShort()),
                    ChaosApi.deadLetters(cluster.bootstrap()),
                    cluster.zombieReports(),
                    null,
                    null,
                    kills,
                    Duration.between(started, Instant.now()).toMillis());
            results.add(r);
            System.out.println(
                    "pool of " + slots + ": at most " + most + " tasks of " + runs + " runs ran at once over "
                            + kills + " kill(s) (the pool's owner, and " + workerKills.size() + " busy worker); "
                            + seen.cutShort() + " attempt(s) cut short, " + duplicates + " task(s) ran again");
            assertTrue(r.passed(), r.toString());
            for (Optional<RunReport> end : ends) {
                assertEquals(RunStatus.SUCCESS, end.get().status());
            }
            assertTrue(most <= slots, "at most " + slots + " at once, the tasks saw " + most);
            assertEquals(slots, most, "the pool's slots were used");
            assertTrue(
                    duplicates <= seen.cutShort(),
                    "a task ran again only after its attempt was cut short by the worker kill: " + seen);
            assertEquals(1, workerKills.size(), "a worker running the pool's tasks was found and killed");
            assertTrue(kills > 1, "the pool's owner was found and killed");
            String api = cluster.apiUrls.get(cluster.apiUrls.size() - 1);
            assertTrue(
                    ChaosApi.poolSettles(api, "chaos", Duration.ofSeconds(30)),
                    "every slot given back and nothing left waiting: " + ChaosApi.pools(api));
        }
    }
}
