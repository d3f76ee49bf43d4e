package io.dagctl.e2e.bench;

import static io.dagctl.e2e.bench.BenchRuns.cpu;
import static io.dagctl.e2e.bench.BenchRuns.progress;
import static io.dagctl.e2e.bench.BenchRuns.run;
import static io.dagctl.e2e.bench.BenchRuns.timed;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.dagctl.e2e.CoordinatorApi;
import io.dagctl.e2e.MetricsPage;
import io.dagctl.e2e.ProcessCluster;
import io.dagctl.e2e.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * dagctl beside its peers on one machine in one run (e2e/run-bench.sh --peers): raw spawning, dagctl, BullMQ on Redis
 * without persistence and with an append-only file synced every second, and Temporal's in-memory test server, each on
 * the same three workloads. Every round runs every system on a workload before the next workload, in an order that
 * turns each round, so that a slow minute of this shared machine hits all of them; each figure is the median of its
 * rounds. Writes e2e/target/peers.json and the "peers" section of BENCHMARKS.md.
 */
class PeerBenchIT {

    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    private static final boolean PEERS = Boolean.getBoolean("bench.peers");
    private static final int CHAIN = QUICK ? 50 : 1_000;
    private static final int FAN_OUT = QUICK ? 500 : 10_000;
    private static final int ROUNDS = QUICK ? 1 : 3;
    private static final int SLOTS = 8;
    private static final String CHAIN_COMMAND = "sleep 0.01";
    private static final List<String> COORDINATOR_JVM = List.of("-Xmx512m", "-XX:+UseParallelGC");
    private static final List<String> WORKER_JVM = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1");

    @Test
    void measure() throws Exception {
        assumeTrue(PEERS, "the peers run with e2e/run-bench.sh --peers");
        String missing = PeerRunner.missing();
        if (!missing.isEmpty()) {
            fail("e2e/run-bench.sh --peers installs what this needs; missing: " + missing);
        }
        Path dir = Files.createTempDirectory("dagctl-peers-");
        PeerFigures figures = new PeerFigures(CHAIN, FAN_OUT, SLOTS, ROUNDS, QUICK);
        PeerRunner peers = new PeerRunner(RepoPaths.root().resolve("e2e/target/peer-logs"));
        try (ProcessCluster cluster = new ProcessCluster(dir, 1).jvmOptions(COORDINATOR_JVM, WORKER_JVM);
                RedisServer volatileRedis = new RedisServer(RedisServer.Durability.NONE, dir.resolve("redis"));
                RedisServer aofRedis = new RedisServer(RedisServer.Durability.AOF_EVERYSEC, dir.resolve("redis-aof"))) {
            cluster.startBrokers();
            cluster.addCoordinator();
            String api = cluster.apiUrls.get(0);
            ProcessCluster.awaitReady(api, Duration.ofSeconds(120));
            cluster.addWorker(SLOTS);
            Dagctl dagctl = new Dagctl(cluster, new CoordinatorApi(api, ProcessCluster.TOKEN));
            progress("warm-up of dagctl");
            dagctl.warmUp();

            List<String> systems = List.of(
                    PeerFigures.RAW,
                    PeerFigures.DAGCTL,
                    PeerFigures.DAGCTL_UNCOMMITTED,
                    PeerFigures.BULLMQ,
                    PeerFigures.BULLMQ_AOF,
                    PeerFigures.TEMPORAL,
                    PeerFigures.TEMPORAL_LOCAL);
            for (int round = 1; round <= ROUNDS; round++) {
                for (String workload : PeerFigures.WORKLOADS) {
                    for (String system : turned(systems, round + PeerFigures.WORKLOADS.indexOf(workload))) {
                        if (system.equals(PeerFigures.RAW) && workload.equals(PeerFigures.NOOP)
                                || system.equals(PeerFigures.TEMPORAL_LOCAL) && !workload.equals(PeerFigures.NOOP)) {
                            continue; // nothing to spawn; local activities are Temporal's way for no-ops only
                        }
                        progress("round " + round + "/" + ROUNDS + ": " + workload + " on " + system);
                        int tasks = workload.equals(PeerFigures.CHAIN) ? CHAIN : FAN_OUT;
                        int slots = workload.equals(PeerFigures.CHAIN) ? 1 : SLOTS;
                        String command = workload.equals(PeerFigures.CHAIN) ? CHAIN_COMMAND : "true";
                        PeerRunner.Figure figure = switch (system) {
                            case PeerFigures.RAW -> raw(workload, tasks, command);
                            case PeerFigures.DAGCTL -> dagctl.measure(workload, tasks, command, figures, false);
                            case PeerFigures.DAGCTL_UNCOMMITTED ->
                                dagctl.measure(workload, tasks, command, figures, true);
                            case PeerFigures.BULLMQ -> peers.bullmq(workload, tasks, slots, command, volatileRedis);
                            case PeerFigures.BULLMQ_AOF -> peers.bullmq(workload, tasks, slots, command, aofRedis);
                            case PeerFigures.TEMPORAL -> peers.temporal(workload, tasks, slots, command);
                            default -> peers.temporal("noop-local", tasks, slots, command);
                        };
                        figures.add(system, workload, figure);
                        progress("  " + figures.describe(system, workload, figure));
                    }
                }
            }
        }
        BenchSection.write(PeerBenchIT.class, "peers", figures.toJson(Instant.now()), figures.toMarkdown(), QUICK);
    }

    /** The systems in the order of this turn: each one first in turn. */
    private static List<String> turned(List<String> systems, int turn) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < systems.size(); i++) {
            out.add(systems.get((i + turn) % systems.size()));
        }
        return out;
    }

    /** Raw spawning from this JVM; its CPU is this JVM's and the spawned processes' together. */
    private static PeerRunner.Figure raw(String workload, int tasks, String command) throws Exception {
        double cpuBefore = SelfCpu.withChildren();
        double seconds = workload.equals(PeerFigures.CHAIN)
                ? RawBaseline.serialSeconds(command, tasks)
                : tasks / RawBaseline.parallelPerSecond(command, tasks, SLOTS);
        return new PeerRunner.Figure(seconds, SelfCpu.withChildren() - cpuBefore, 0);
    }

    /**
     * dagctl's side: the benchmark DAGs through the cluster, with the CPU of its three JVMs. Its worker reads dispatches
     * committed (the default) or, for the opt-in mode, uncommitted: switching starts a new worker in that mode, warmed
     * before anything is timed.
     */
    private static final class Dagctl {
        private final ProcessCluster cluster;
        private final CoordinatorApi client;
        private boolean uncommitted;

        Dagctl(ProcessCluster cluster, CoordinatorApi client) {
            this.cluster = cluster;
            this.client = client;
        }

        void warmUp() throws Exception {
            timed(client, BenchDags.fanOut("warmup", QUICK ? 100 : 2_000, null), Duration.ofMinutes(5));
            timed(client, BenchDags.chain("warmup-chain", QUICK ? 20 : 500, CHAIN_COMMAND), Duration.ofMinutes(5));
            timed(client, BenchDags.fanOut("warmup-8", QUICK ? 100 : 1_000, "true"), Duration.ofMinutes(5));
        }

        private void workerReading(boolean uncommittedReads) throws Exception {
            if (uncommittedReads == uncommitted) {
                return;
            }
            progress("  a worker that reads dispatches " + (uncommittedReads ? "uncommitted" : "committed"));
            cluster.workers.get(cluster.workers.size() - 1).stop();
            cluster.workerSettings(uncommittedReads ? Map.of("DAGCTL_WORKER_DISPATCH_READS", "uncommitted") : Map.of());
            cluster.addWorker(SLOTS);
            uncommitted = uncommittedReads;
            timed(client, BenchDags.chain("warmup-chain", QUICK ? 20 : 300, CHAIN_COMMAND), Duration.ofMinutes(5));
            timed(client, BenchDags.fanOut("warmup-8", QUICK ? 100 : 500, "true"), Duration.ofMinutes(5));
        }

        PeerRunner.Figure measure(
                String workload, int tasks, String command, PeerFigures figures, boolean uncommittedReads)
                throws Exception {
            workerReading(uncommittedReads);
            int worker = cluster.workers.size() - 1;
            Map<String, Long> pids = new LinkedHashMap<>();
            pids.put("broker", cluster.brokers.get(0).pid());
            pids.put("coordinator", cluster.coordinators.get(0).pid());
            pids.put("worker", cluster.workers.get(worker).pid());
            String workerUrl = cluster.workerUrls.get(worker);
            double busyBefore = MetricsPage.scrape(workerUrl).sum("dagctl_worker_busy_slot_seconds_total");
            Map<String, Double> before = cpu(pids);
            String name = workload + "-" + System.nanoTime();
            String yaml = switch (workload) {
                case PeerFigures.CHAIN -> BenchDags.chain(name, tasks, command);
                case PeerFigures.SHELL -> BenchDags.fanOut(name, tasks, command);
                default -> BenchDags.fanOut(name, tasks, null);
            };
            // from the submission, as the peers time from their first job added: the upload and parsing count too
            Instant submitted = Instant.now();
            double seconds = Duration.between(
                                    submitted,
                                    run(client, yaml, Duration.ofMinutes(30)).endedAt())
                            .toNanos()
                    / 1e9;
            Map<String, Double> after = cpu(pids);
            double cpuSeconds = 0;
            for (String process : pids.keySet()) {
                cpuSeconds += after.get(process) - before.get(process);
            }
            if (workload.equals(PeerFigures.SHELL) && !uncommittedReads) {
                double busy = MetricsPage.scrape(workerUrl).sum("dagctl_worker_busy_slot_seconds_total") - busyBefore;
                figures.utilisation(busy / (SLOTS * seconds));
            }
            // a fan-out DAG has a root and a join besides its tasks: counted as the same number of tasks as the peers'
            double perPeerTask = workload.equals(PeerFigures.CHAIN) ? 1 : (double) tasks / (tasks + 2);
            return new PeerRunner.Figure(seconds * perPeerTask, cpuSeconds * perPeerTask, 0);
        }
    }
}
