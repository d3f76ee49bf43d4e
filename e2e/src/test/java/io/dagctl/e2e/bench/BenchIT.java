package io.dagctl.e2e.bench;

import static io.dagctl.e2e.bench.BenchRuns.cpu;
import static io.dagctl.e2e.bench.BenchRuns.progress;
import static io.dagctl.e2e.bench.BenchRuns.run;
import static io.dagctl.e2e.bench.BenchRuns.seconds;
import static io.dagctl.e2e.bench.BenchRuns.timed;

import io.dagctl.core.event.Events;
import io.dagctl.core.report.RunSummary;
import io.dagctl.e2e.CoordinatorApi;
import io.dagctl.e2e.ManagedProcess;
import io.dagctl.e2e.MetricsPage;
import io.dagctl.e2e.ProcessCluster;
import io.dagctl.e2e.RepoPaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The benchmark harness (e2e/run-bench.sh): a broker, a coordinator and a worker as separate processes, production
 * settings and JIT; each scenario measured against the same commands run raw from this JVM in the same session.
 * Writes e2e/target/bench.json and BENCHMARKS.md. {@code -Dbench.quick=true} shrinks every N (a smoke test of the
 * harness, not of the numbers).
 */
class BenchIT {

    private static final boolean QUICK = Boolean.getBoolean("bench.quick");
    /** {@code -Dbench.chain-only=true}: the chain alone, for tuning dispatch latency (no result files written). */
    private static final boolean CHAIN_ONLY = Boolean.getBoolean("bench.chain-only");

    private static final int CHAIN = QUICK ? 50 : 1_000;
    private static final int FAN_OUT = QUICK ? 500 : 10_000;
    private static final int BIG_DAG = QUICK ? 5_000 : 100_000;
    private static final int SLOTS = 8;
    private static final String CHAIN_COMMAND = "sleep 0.01";
    private static final List<String> COORDINATOR_JVM = List.of("-Xmx512m", "-XX:+UseParallelGC");
    private static final List<String> WORKER_JVM = List.of("-Xmx512m", "-XX:TieredStopAtLevel=1");
    private static final String SLOT_HANDOFF = "dagctl_worker_slot_handoff_seconds";

    @Test
    void measure() throws Exception {
        Path dir = Files.createTempDirectory("dagctl-bench-");
        BenchResult.Builder result = new BenchResult.Builder(QUICK, CHAIN, FAN_OUT, BIG_DAG, SLOTS);
        try (ProcessCluster cluster = new ProcessCluster(dir, 1).jvmOptions(COORDINATOR_JVM, WORKER_JVM)) {
            cluster.startBrokers();
            cluster.addCoordinator();
            String api = cluster.apiUrls.get(0);
            ProcessCluster.awaitReady(api, Duration.ofSeconds(120));
            CoordinatorApi client = new CoordinatorApi(api, ProcessCluster.TOKEN);

            progress("warm-up");
            ManagedProcess chainWorker = cluster.addWorker(1);
            timed(client, BenchDags.fanOut("warmup", QUICK ? 100 : 2_000, null), Duration.ofMinutes(5));
            // the chain's own path (a process per hop, one dispatch per result) compiled before it is timed
            timed(client, BenchDags.chain("warmup-chain", QUICK ? 20 : 500, CHAIN_COMMAND), Duration.ofMinutes(5));

            progress("chain: raw " + CHAIN + " x '" + CHAIN_COMMAND + "'");
            result.rawChainSeconds(RawBaseline.serialSeconds(CHAIN_COMMAND, CHAIN));
            progress("chain: " + CHAIN + " tasks through dagctl, 1 slot");
            MetricsPage.Histogram beforeChain = MetricsPage.scrape(api).histogram("dagctl_dispatch_latency_seconds");
            result.chainSeconds(timed(client, BenchDags.chain("chain", CHAIN, CHAIN_COMMAND), Duration.ofMinutes(10)));
            MetricsPage.Histogram chainLatency = MetricsPage.scrape(api)
                    .histogram("dagctl_dispatch_latency_seconds")
                    .minus(beforeChain);
            result.chainDispatchLatency(chainLatency.quantile(0.5), chainLatency.quantile(0.99));
            chainWorker.stop();
            if (CHAIN_ONLY) {
                System.out.println(result.build(Instant.now()).toJson());
                return;
            }

            cluster.addWorker(SLOTS);
            String workerUrl = cluster.workerUrls.get(cluster.workerUrls.size() - 1);
            ManagedProcess worker = cluster.workers.get(cluster.workers.size() - 1);
            timed(client, BenchDags.fanOut("warmup-8", QUICK ? 100 : 1_000, "true"), Duration.ofMinutes(5));

            progress("shell fan-out: raw spawn of " + FAN_OUT + " x 'true' on " + SLOTS + " threads");
            result.rawSpawnPerSecond(RawBaseline.parallelPerSecond("true", FAN_OUT, SLOTS));
            progress("shell fan-out: " + FAN_OUT + " x 'true' each in a process group of its own (setsid), " + SLOTS
                    + " threads");
            result.processGroupSpawnPerSecond(RawBaseline.inProcessGroupPerSecond("true", FAN_OUT, SLOTS));
            progress("shell fan-out: " + FAN_OUT + " x 'true' launched as the worker launches them, " + SLOTS
                    + " threads");
            result.launcherSpawnPerSecond(RawBaseline.launchedLikeTheWorkerPerSecond(
                    "true", FAN_OUT, SLOTS, Files.createDirectories(dir.resolve("raw-work"))));
            MetricsPage.Histogram latencyBefore = MetricsPage.scrape(api).histogram("dagctl_dispatch_latency_seconds");
            MetricsPage workerBefore = MetricsPage.scrape(workerUrl);
            double busyBefore = workerBefore.sum("dagctl_worker_busy_slot_seconds_total");
            MetricsPage.Histogram handoffBefore = workerBefore.histogram(SLOT_HANDOFF);
            progress("shell fan-out: 1 + " + FAN_OUT + " + 1 tasks through dagctl, " + SLOTS + " slots");
            Map<String, Long> pids = new LinkedHashMap<>();
            pids.put("broker", cluster.brokers.get(0).pid());
            pids.put("coordinator", cluster.coordinators.get(0).pid());
            pids.put("worker", worker.pid());
            Map<String, Double> cpuBefore = cpu(pids);
            RunSummary shell = run(client, BenchDags.fanOut("shell-fanout", FAN_OUT, "true"), Duration.ofMinutes(15));
            MetricsPage workerAfter = MetricsPage.scrape(workerUrl);
            double busyAfter = workerAfter.sum("dagctl_worker_busy_slot_seconds_total");
            MetricsPage.Histogram handoff = workerAfter.histogram(SLOT_HANDOFF).minus(handoffBefore);
            result.shellSlotHandoff(
                    handoff.quantile(0.5), handoff.quantile(0.95), handoff.quantile(0.99), (long) handoff.count());
            double shellSeconds = seconds(shell);
            Map<String, Double> cpuAfter = cpu(pids);
            Map<String, Double> cpuMsPerTask = new LinkedHashMap<>();
            cpuBefore.forEach(
                    (name, before) -> cpuMsPerTask.put(name, (cpuAfter.get(name) - before) * 1000 / (FAN_OUT + 2)));
            result.shellCpuMsPerTask(cpuMsPerTask);
            result.shellFanOut((FAN_OUT + 2) / shellSeconds, (busyAfter - busyBefore) / (SLOTS * shellSeconds));
            MetricsPage.Histogram shellLatency = MetricsPage.scrape(api)
                    .histogram("dagctl_dispatch_latency_seconds")
                    .minus(latencyBefore);
            result.shellDispatchP99(shellLatency.quantile(0.99));

            progress("no-op fan-out: 1 + " + FAN_OUT + " + 1 noop tasks");
            try (RssSampler rss = new RssSampler(pids)) {
                RunSummary noop = run(client, BenchDags.fanOut("noop-fanout", FAN_OUT, null), Duration.ofMinutes(10));
                result.noopFanOut((FAN_OUT + 2) / seconds(noop));
                rss.close();
                result.peakRss(rss.peaksMb());
            }
            MetricsPage.Histogram latency = MetricsPage.scrape(api)
                    .histogram("dagctl_dispatch_latency_seconds")
                    .minus(latencyBefore);
            result.dispatchLatency(
                    latency.quantile(0.50), latency.quantile(0.95), latency.quantile(0.99), (long) latency.count());

            progress("big DAG: " + BIG_DAG + " noop tasks (coordinator heap capped at 512 MB)");
            HeapWatch heap = new HeapWatch(api);
            Instant bigSubmitted = Instant.now();
            RunSummary big = run(client, BenchDags.fanOut("big", BIG_DAG - 2, null), Duration.ofMinutes(20));
            double bigWall = Duration.between(bigSubmitted, big.endedAt()).toNanos() / 1e9;
            result.bigDag(big.taskCount(), heap.stopAndPeakMb(), seconds(big), bigWall);

            progress("flat DAG: " + BIG_DAG + " independent noop tasks");
            Instant flatSubmitted = Instant.now();
            RunSummary flat = run(client, BenchDags.flat("flat", BIG_DAG), Duration.ofMinutes(20));
            result.flatDag(
                    flat.taskCount(),
                    seconds(flat),
                    Duration.between(flatSubmitted, flat.endedAt()).toNanos() / 1e9);
        }
        BenchResult done = result.build(Instant.now());
        Path target = RepoPaths.root().resolve("e2e/target");
        Files.createDirectories(target);
        Files.writeString(
                target.resolve("bench.json"),
                Events.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(done.toJson()));
        Path report = RepoPaths.root().resolve(QUICK ? "e2e/target/BENCHMARKS-quick.md" : "BENCHMARKS.md");
        Files.writeString(report, done.toMarkdown() + BenchResult.handWrittenPart(report));
        System.out.println(done.toMarkdown());
    }

    /** Polls the coordinator's heap use every 200 ms and keeps the peak. */
    private static final class HeapWatch {
        private final Thread thread;
        private volatile boolean stop;
        private volatile double peakBytes;

        HeapWatch(String api) {
            thread = new Thread(
                    () -> {
                        while (!stop) {
                            try {
                                peakBytes = Math.max(
                                        peakBytes,
                                        MetricsPage.scrape(api).sum("jvm_memory_used_bytes", "area=\"heap\""));
                                Thread.sleep(200);
                            } catch (InterruptedException e) {
                                return;
                            } catch (Exception e) {
                                // a scrape failed while the coordinator was busy; the next one counts
                            }
                        }
                    },
                    "heap-watch");
            thread.setDaemon(true);
            thread.start();
        }

        long stopAndPeakMb() throws InterruptedException {
            stop = true;
            thread.join(2000);
            return Math.round(peakBytes / (1024 * 1024));
        }
    }
}
