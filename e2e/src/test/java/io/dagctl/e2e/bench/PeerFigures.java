package io.dagctl.e2e.bench;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** What PeerBenchIT measured, round by round, and the medians as peers.json and the BENCHMARKS.md section. */
final class PeerFigures {

    static final String RAW = "raw";
    static final String DAGCTL = "dagctl";
    /** dagctl with the opt-in dagctl.worker.dispatch-reads=uncommitted: a task may run twice after a coordinator dies. */
    static final String DAGCTL_UNCOMMITTED = "dagctl_uncommitted";

    static final String BULLMQ = "bullmq";
    static final String BULLMQ_AOF = "bullmq_aof";
    static final String TEMPORAL = "temporal";
    /** Temporal's no-ops as local activities (run in the workflow's worker, no task queue): the no-op workload only. */
    static final String TEMPORAL_LOCAL = "temporal_local";

    static final List<String> PEERS = List.of(BULLMQ, BULLMQ_AOF, TEMPORAL, TEMPORAL_LOCAL);
    private static final Map<String, String> TITLES = Map.of(
            RAW, "raw spawn from one JVM",
            DAGCTL, "dagctl (broker, coordinator, worker: 3 JVMs)",
            DAGCTL_UNCOMMITTED, "dagctl, opt-in uncommitted dispatch reads",
            BULLMQ, "BullMQ, Redis without persistence",
            BULLMQ_AOF, "BullMQ, Redis AOF fsync every second",
            TEMPORAL, "Temporal test server, in memory",
            TEMPORAL_LOCAL, "the same, no-ops as local activities");

    static final String CHAIN = "chain";
    static final String SHELL = "shell";
    static final String NOOP = "noop";
    static final List<String> WORKLOADS = List.of(CHAIN, SHELL, NOOP);

    private final int chainTasks;
    private final int fanOutTasks;
    private final int slots;
    private final int rounds;
    private final boolean quick;
    private final Map<String, Map<String, List<PeerRunner.Figure>>> samples = new LinkedHashMap<>();
    private final List<Double> utilisation = new ArrayList<>();

    PeerFigures(int chainTasks, int fanOutTasks, int slots, int rounds, boolean quick) {
        this.chainTasks = chainTasks;
        this.fanOutTasks = fanOutTasks;
        this.slots = slots;
        this.rounds = rounds;
        this.quick = quick;
    }

    void add(String system, String workload, PeerRunner.Figure figure) {
        samples.computeIfAbsent(system, k -> new LinkedHashMap<>())
                .computeIfAbsent(workload, k -> new ArrayList<>())
                .add(figure);
    }

    /** dagctl's worker: busy slot time over slots × wall time, in one shell fan-out. */
    void utilisation(double ratio) {
        utilisation.add(ratio);
    }

    String describe(String system, String workload, PeerRunner.Figure figure) {
        int tasks = tasks(workload);
        return String.format(
                Locale.ROOT,
                "%s %s: %.2f s, %.0f tasks/s, %.3f ms CPU per task",
                system,
                workload,
                figure.seconds(),
                tasks / figure.seconds(),
                cpuMsPerTask(figure, tasks));
    }

    private int tasks(String workload) {
        return workload.equals(CHAIN) ? chainTasks : fanOutTasks;
    }

    private static double cpuMsPerTask(PeerRunner.Figure figure, int tasks) {
        return (figure.cpuSeconds() + figure.serverCpuSeconds()) * 1000 / tasks;
    }

    /** The median over rounds of {@code value}; NaN when the system did not run the workload. */
    private double median(
            String system, String workload, java.util.function.ToDoubleFunction<PeerRunner.Figure> value) {
        List<PeerRunner.Figure> figures = samples.getOrDefault(system, Map.of()).getOrDefault(workload, List.of());
        if (figures.isEmpty()) {
            return Double.NaN;
        }
        double[] values = figures.stream().mapToDouble(value).sorted().toArray();
        int mid = values.length / 2;
        return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
    }

    /** Per hop of the chain, beyond the command itself (raw serial spawning's own hop), in ms. */
    double chainOverheadMs(String system) {
        double raw = median(RAW, CHAIN, PeerRunner.Figure::seconds) / chainTasks;
        return (median(system, CHAIN, PeerRunner.Figure::seconds) / chainTasks - raw) * 1000;
    }

    double perSecond(String system, String workload) {
        return tasks(workload) / median(system, workload, PeerRunner.Figure::seconds);
    }

    double cpuMsPerTask(String system, String workload) {
        int tasks = tasks(workload);
        return median(system, workload, f -> cpuMsPerTask(f, tasks));
    }

    private double utilisationMedian() {
        if (utilisation.isEmpty()) {
            return Double.NaN;
        }
        double[] values =
                utilisation.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return values[values.length / 2];
    }

    /** The best peer's value: the lowest when lower is better, else the highest. */
    private double bestPeer(java.util.function.ToDoubleFunction<String> value, boolean lowerIsBetter) {
        double best = Double.NaN;
        for (String peer : PEERS) {
            double v = value.applyAsDouble(peer);
            if (!Double.isNaN(v) && (Double.isNaN(best) || (lowerIsBetter ? v < best : v > best))) {
                best = v;
            }
        }
        return best;
    }

    Map<String, Object> toJson(Instant at) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("measured_at", at.toString());
        json.put("quick", quick);
        json.put("rounds", rounds);
        json.put("chain_tasks", chainTasks);
        json.put("fan_out_tasks", fanOutTasks);
        json.put("slots", slots);
        for (String system : TITLES.keySet().stream().sorted().toList()) {
            Map<String, Object> figures = new LinkedHashMap<>();
            if (samples.containsKey(system)) {
                figures.put("chain_overhead_ms_per_hop", round(chainOverheadMs(system)));
                figures.put(
                        "chain_ms_per_hop",
                        round(median(system, CHAIN, PeerRunner.Figure::seconds) * 1000 / chainTasks));
                figures.put("shell_tasks_per_s", round(perSecond(system, SHELL)));
                figures.put("noop_tasks_per_s", round(perSecond(system, NOOP)));
                figures.put("shell_cpu_ms_per_task", round(cpuMsPerTask(system, SHELL)));
                figures.put("noop_cpu_ms_per_task", round(cpuMsPerTask(system, NOOP)));
                json.put(system, figures);
            }
        }
        Map<String, Object> ratios = new LinkedHashMap<>();
        ratios.put(
                "chain_overhead_to_best_peer", round(chainOverheadMs(DAGCTL) / bestPeer(this::chainOverheadMs, true)));
        ratios.put("shell_to_best_peer", round(perSecond(DAGCTL, SHELL) / bestPeer(p -> perSecond(p, SHELL), false)));
        ratios.put("noop_to_best_peer", round(perSecond(DAGCTL, NOOP) / bestPeer(p -> perSecond(p, NOOP), false)));
        ratios.put("shell_to_bullmq", round(perSecond(DAGCTL, SHELL) / perSecond(BULLMQ, SHELL)));
        ratios.put("noop_to_bullmq", round(perSecond(DAGCTL, NOOP) / perSecond(BULLMQ, NOOP)));
        ratios.put("cpu_per_task_to_raw_spawn", round(cpuMsPerTask(DAGCTL, SHELL) / cpuMsPerTask(RAW, SHELL)));
        ratios.put("dagctl_utilisation", round(utilisationMedian()));
        ratios.put(
                "uncommitted_chain_overhead_to_bullmq",
                round(chainOverheadMs(DAGCTL_UNCOMMITTED) / chainOverheadMs(BULLMQ)));
        json.put("ratios", ratios);
        return json;
    }

    String toMarkdown() {
        StringBuilder md = new StringBuilder();
        md.append("## Beside the peers\n\n")
                .append("One machine, one run (`e2e/run-bench.sh --peers`")
                .append(quick ? " --quick: smaller N, not a measurement" : "")
                .append("): each figure is the median of ")
                .append(rounds)
                .append(" round(s); every round runs every system on a workload, in an order that turns, before the "
                        + "next workload. Chain: ")
                .append(chainTasks)
                .append(" × `sleep 0.01`, one after another. Shell fan-out: ")
                .append(fanOutTasks)
                .append(" × `true` on ")
                .append(slots)
                .append(" slots. No-op fan-out: ")
                .append(fanOutTasks)
                .append(" tasks that run nothing. CPU is the schedulers' own (dagctl: its three JVMs; BullMQ: node and"
                        + " Redis; Temporal: its JVM), without the tasks' processes; raw spawn's is its JVM's and the"
                        + " processes' together. The opt-in column is dagctl with `dagctl.worker.dispatch-reads="
                        + "uncommitted` (not a peer: the ratio column compares the default).\n\n");
        md.append("| | ");
        List<String> columns = List.of(RAW, DAGCTL, DAGCTL_UNCOMMITTED, BULLMQ, BULLMQ_AOF, TEMPORAL, TEMPORAL_LOCAL);
        columns.forEach(c -> md.append(TITLES.get(c)).append(" | "));
        md.append("dagctl ÷ best peer |\n|---|");
        columns.forEach(c -> md.append("---|"));
        md.append("---|\n");
        row(
                md,
                "chain: overhead per hop beyond the command (ms; lower is better)",
                columns,
                s -> s.equals(RAW)
                        ? median(RAW, CHAIN, PeerRunner.Figure::seconds) * 1000 / chainTasks
                        : chainOverheadMs(s),
                true,
                "raw: the whole hop");
        row(md, "shell fan-out (tasks/s)", columns, s -> perSecond(s, SHELL), false, null);
        row(md, "no-op fan-out (tasks/s)", columns, s -> perSecond(s, NOOP), false, null);
        row(md, "CPU per task, shell fan-out (ms)", columns, s -> cpuMsPerTask(s, SHELL), true, null);
        row(md, "CPU per task, no-op fan-out (ms)", columns, s -> cpuMsPerTask(s, NOOP), true, null);
        md.append("\nDurability: dagctl commits every state change to Kafka (replicated log, fsync by replication, "
                + "exactly once); BullMQ on Redis without persistence loses everything Redis held if Redis dies; with "
                + "AOF every second it loses up to a second of jobs; Temporal's test server keeps its state in memory "
                + "only.\n\n");
        md.append("| target | measured | met |\n|---|---|---|\n");
        target(
                md,
                "chain overhead per hop ≤ BullMQ's (no persistence)",
                fmt(chainOverheadMs(DAGCTL)) + " ms vs " + fmt(chainOverheadMs(BULLMQ)) + " ms",
                chainOverheadMs(DAGCTL) <= chainOverheadMs(BULLMQ));
        target(
                md,
                "the same with the opt-in uncommitted dispatch reads (a task may run twice after a coordinator dies)",
                fmt(chainOverheadMs(DAGCTL_UNCOMMITTED)) + " ms vs " + fmt(chainOverheadMs(BULLMQ)) + " ms",
                chainOverheadMs(DAGCTL_UNCOMMITTED) <= chainOverheadMs(BULLMQ));
        double shell = perSecond(DAGCTL, SHELL) / perSecond(BULLMQ, SHELL);
        target(md, "shell fan-out ≥ 1.2 × BullMQ's", fmt(shell) + " ×", shell >= 1.2);
        double noop = perSecond(DAGCTL, NOOP) / perSecond(BULLMQ, NOOP);
        target(md, "no-op fan-out ≥ 2 × BullMQ's", fmt(noop) + " ×", noop >= 2);
        double cpu = cpuMsPerTask(DAGCTL, SHELL) / cpuMsPerTask(RAW, SHELL);
        target(
                md,
                "dagctl's JVM CPU per task (all services) ≤ ½ of what one raw spawn of `true` costs",
                fmt(cpuMsPerTask(DAGCTL, SHELL)) + " ms vs " + fmt(cpuMsPerTask(RAW, SHELL)) + " ms = " + fmt(cpu)
                        + " ×",
                cpu <= 0.5);
        double used = utilisationMedian();
        target(md, "worker slot utilisation in the shell fan-out ≥ 95 %", fmt(used * 100) + " %", used >= 0.95);
        return md.toString();
    }

    private void row(
            StringBuilder md,
            String what,
            List<String> columns,
            java.util.function.ToDoubleFunction<String> value,
            boolean lowerIsBetter,
            String rawNote) {
        md.append("| ").append(what).append(" | ");
        for (String column : columns) {
            double v = value.applyAsDouble(column);
            md.append(Double.isNaN(v) ? "–" : fmt(v));
            if (column.equals(RAW) && rawNote != null && !Double.isNaN(v)) {
                md.append(" (").append(rawNote).append(')');
            }
            md.append(" | ");
        }
        double best = bestPeer(value, lowerIsBetter);
        md.append(fmt(value.applyAsDouble(DAGCTL) / best)).append(" × |\n");
    }

    private static void target(StringBuilder md, String what, String measured, boolean met) {
        md.append("| ")
                .append(what)
                .append(" | ")
                .append(measured)
                .append(" | ")
                .append(met ? "yes" : "**no**");
        md.append(" |\n");
    }

    private static String fmt(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "–";
        }
        return Math.abs(v) >= 100
                ? String.format(Locale.ROOT, "%,.0f", v)
                : String.format(Locale.ROOT, Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }

    private static double round(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? -1 : Math.round(v * 1000) / 1000.0;
    }
}
