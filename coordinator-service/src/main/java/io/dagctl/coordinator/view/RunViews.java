package io.dagctl.coordinator.view;

import io.dagctl.coordinator.engine.RunEntry;
import io.dagctl.coordinator.query.RunQueries;
import io.dagctl.core.event.Events;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.AttemptReport;
import io.dagctl.core.report.TaskPage;
import io.dagctl.core.report.TaskReport;
import io.dagctl.core.telemetry.TaskLogContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Builds run pages' views from run snapshots, keeping the last few snapshots and layouts: many tabs on one run cost
 * one scan per refresh, and a graph is laid out once per run (and per set of expanded groups).
 */
public final class RunViews {

    private static final AtomicBoolean WARMED = new AtomicBoolean();

    /** Snapshots are kept up to this many tasks in all (about 100 bytes each), the least recently used dropped. */
    static final int SNAPSHOT_TASKS_KEPT = 1_000_000;

    private static final int LAYOUTS_KEPT = 32;

    private final Map<String, RunSnapshot> snapshots =
            Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true));
    private long snapshotTasks;
    private final Map<String, Laid> layouts = lru(LAYOUTS_KEPT);
    /** Pages that ask for one run at once wait for one scan (and one layout) instead of each making its own. */
    private final Object[] locks = new Object[64];

    {
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
    }

    private Object lockFor(String key) {
        return locks[Math.floorMod(key.hashCode(), locks.length)];
    }

    private record Laid(GraphShape shape, GraphLayout.Placed placed) {}

    private static <V> Map<String, V> lru(int size) {
        return Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > size;
            }
        });
    }

    /**
     * {@link #warmUp} on a thread of its own, the first time the UI's sign-in page or its page is asked for: early
     * enough that the person who signs in does not wait for it, and never for an instance whose UI nobody opens. At
     * start-up it took about a second of CPU from the coordinator's boot on 2 cores (docs/architecture.md).
     */
    public static void warmUpInBackground() {
        if (WARMED.compareAndSet(false, true)) {
            Thread warm = new Thread(RunViews::warmUp, "graph-layout-warm-up");
            warm.setDaemon(true);
            warm.start();
        }
    }

    /**
     * Lays out a small graph once: ELK's first layout in a JVM loads and initialises its algorithms (about a second on
     * a cold coordinator), which would otherwise fall on the first person to open a run page.
     */
    public static void warmUp() {
        // and the decoding of stored tasks, which a large run's first snapshot does a hundred thousand times
        byte[] sample = Events.toJson(new TaskCell.Stored(
                0,
                new TaskCell.Stored.Spec("warm", null, null, null),
                List.of("next"),
                TaskStatus.SUCCESS,
                1,
                Instant.EPOCH,
                Instant.EPOCH,
                Instant.EPOCH,
                "worker",
                0,
                null,
                null,
                null));
        for (int i = 0; i < 20_000; i++) {
            TaskCell.of(sample);
        }
        GraphLayout.place(GraphShape.of(
                List.of(
                        new GraphShape.Task("a", List.of("b", "c"), null, null, false),
                        new GraphShape.Task("b", List.of(), null, null, false),
                        new GraphShape.Task("c", List.of(), "all_done", null, true)),
                Set.of()));
    }

    /** The run's view, with the groups named in {@code expanded} opened. */
    public RunView view(RunEntry run, RunQueries.TaskScan scan, Set<String> expanded) {
        RunSnapshot snapshot = snapshot(run, scan);
        Laid laid = layout(run, snapshot, expanded);
        Instant now = Instant.now();
        Map<String, Map<TaskStatus, Integer>> countsByNode = new HashMap<>();
        Map<String, List<TaskCell>> cellsByNode = new HashMap<>();
        for (TaskCell cell : snapshot.tasks()) {
            String node = laid.shape().nodeOfTask().get(cell.name());
            if (node == null) {
                continue;
            }
            cellsByNode.computeIfAbsent(node, k -> new ArrayList<>()).add(cell);
            Map<TaskStatus, Integer> counts = countsByNode.computeIfAbsent(node, k -> new EnumMap<>(TaskStatus.class));
            Map<TaskStatus, Integer> instances = snapshot.instanceCounts().get(cell.name());
            if (cell.isMapped() && instances != null) {
                instances.forEach((s, n) -> counts.merge(s, n, Integer::sum));
            } else {
                counts.merge(cell.status(), 1, Integer::sum);
            }
        }
        List<RunView.Node> nodes = new ArrayList<>();
        List<RunView.Row> rows = new ArrayList<>();
        for (GraphShape.Node n : laid.shape().nodes()) {
            GraphLayout.Box box = laid.placed().boxes().get(n.id());
            List<TaskCell> cells = cellsByNode.getOrDefault(n.id(), List.of());
            Map<TaskStatus, Integer> counts = countsByNode.getOrDefault(n.id(), Map.of());
            TaskStatus status = n.kind() == GraphShape.Kind.TASK && cells.size() == 1
                    ? cells.get(0).status()
                    : summaryStatus(counts, cells);
            nodes.add(new RunView.Node(
                    n.id(),
                    n.label(),
                    n.kind().name(),
                    box.x(),
                    box.y(),
                    box.width(),
                    box.height(),
                    status,
                    n.kind() == GraphShape.Kind.TASK ? null : new TreeMap<>(counts),
                    n.size(),
                    n.expandable()));
            rows.add(row(n, cells, counts, status, scan));
        }
        List<RunView.Edge> edges = new ArrayList<>();
        for (int i = 0; i < laid.shape().edges().size(); i++) {
            GraphShape.Edge e = laid.shape().edges().get(i);
            edges.add(new RunView.Edge(
                    e.from(), e.to(), e.label(), laid.placed().routes().get(i)));
        }
        rows.sort(Comparator.comparing(
                (RunView.Row r) -> firstQueued(r), Comparator.nullsLast(Comparator.naturalOrder())));
        long refresh = run.status().isTerminal() ? 0 : Math.max(1000, snapshot.scanNanos() / 1_000_000 * 4);
        return new RunView(
                run.summary().withTaskCounts(totalCounts(snapshot)),
                run.dagVersion(),
                new TreeMap<>(run.params()),
                TaskLogContext.traceIdOf(run.traceparent()),
                run.error(),
                laid.shape().aggregated(),
                laid.placed().width(),
                laid.placed().height(),
                nodes,
                edges,
                rows,
                now,
                snapshot.scanNanos() / 1_000_000,
                refresh);
    }

    /** A page of the run's tasks, longest running first, from the snapshot; {@code offset} is where it starts. */
    public TaskPage slowest(RunEntry run, RunQueries.TaskScan scan, TaskStatus status, int offset, int limit) {
        RunSnapshot snapshot = snapshot(run, scan);
        Instant now = Instant.now();
        List<TaskCell> all =
                new ArrayList<>(snapshot.tasks().size() + snapshot.instances().size());
        for (TaskCell c : snapshot.tasks()) {
            if (!c.isMapped() && (status == null || c.status() == status)) {
                all.add(c);
            }
        }
        for (TaskCell c : snapshot.instances()) {
            if (status == null || c.status() == status) {
                all.add(c);
            }
        }
        all.sort(Comparator.comparingLong((TaskCell c) -> c.durationMs(now)).reversed());
        List<TaskReport> page = new ArrayList<>();
        for (int i = offset; i < Math.min(all.size(), offset + limit); i++) {
            page.add(report(all.get(i), now));
        }
        String next = offset + limit < all.size() ? String.valueOf(offset + limit) : null;
        return new TaskPage(run.runId(), page, totalCounts(snapshot), next);
    }

    private static TaskReport report(TaskCell c, Instant now) {
        long duration = c.durationMs(now);
        return new TaskReport(
                c.name(),
                c.status(),
                c.attempts(),
                c.exitCode(),
                c.startedAt(),
                c.endedAt(),
                duration < 0 ? null : duration,
                c.workerId(),
                null,
                null,
                null,
                Map.of(),
                null,
                List.of());
    }

    private RunSnapshot snapshot(RunEntry run, RunQueries.TaskScan scan) {
        synchronized (lockFor(run.runId())) {
            RunSnapshot cached = snapshots.get(run.runId());
            if (cached != null && cached.freshFor(run, System.nanoTime())) {
                return cached;
            }
            RunSnapshot fresh = RunSnapshot.read(run, scan);
            keep(run.runId(), fresh);
            return fresh;
        }
    }

    private void keep(String runId, RunSnapshot fresh) {
        synchronized (snapshots) {
            RunSnapshot old = snapshots.put(runId, fresh);
            snapshotTasks += fresh.size() - (old == null ? 0 : old.size());
            var eldest = snapshots.entrySet().iterator();
            while (snapshotTasks > SNAPSHOT_TASKS_KEPT && eldest.hasNext()) {
                var entry = eldest.next();
                if (entry.getKey().equals(runId)) {
                    continue;
                }
                snapshotTasks -= entry.getValue().size();
                eldest.remove();
            }
        }
    }

    private Laid layout(RunEntry run, RunSnapshot snapshot, Set<String> expanded) {
        // runs of one stored DAG version share a graph; a submitted DAG's runs each have their own
        String dag = run.dagVersion() != null ? run.dag() + "@" + run.dagVersion() : run.runId();
        String key = dag + "#" + snapshot.tasks().size() + "#" + new java.util.TreeSet<>(expanded);
        synchronized (lockFor(key)) {
            Laid cached = layouts.get(key);
            return cached != null ? cached : laidOut(key, snapshot, expanded);
        }
    }

    private Laid laidOut(String key, RunSnapshot snapshot, Set<String> expanded) {
        List<GraphShape.Task> tasks = new ArrayList<>(snapshot.tasks().size());
        for (TaskCell c : snapshot.tasks()) {
            tasks.add(new GraphShape.Task(
                    c.name(), c.dependents(), c.rule() == null ? null : c.rule().yamlName(), c.when(), c.isMapped()));
        }
        GraphShape shape = GraphShape.of(tasks, expanded);
        Laid laid = new Laid(shape, GraphLayout.place(shape));
        layouts.put(key, laid);
        return laid;
    }

    private static RunView.Row row(
            GraphShape.Node n,
            List<TaskCell> cells,
            Map<TaskStatus, Integer> counts,
            TaskStatus status,
            RunQueries.TaskScan scan) {
        List<RunView.Bar> bars = new ArrayList<>();
        if (n.kind() == GraphShape.Kind.TASK && cells.size() == 1) {
            TaskCell c = cells.get(0);
            List<AttemptReport> earlier = c.attempts() > 1 ? TaskCell.pastAttempts(scan.get(c.name())) : List.of();
            for (AttemptReport past : earlier) {
                bars.add(new RunView.Bar(
                        past.attempt(),
                        past.outcome(),
                        past.queuedAt(),
                        past.startedAt(),
                        past.endedAt(),
                        past.workerId(),
                        past.exitCode()));
            }
            if (c.queuedAt() != null || c.startedAt() != null) {
                bars.add(new RunView.Bar(
                        c.attempts(),
                        c.status().name(),
                        c.queuedAt(),
                        c.startedAt(),
                        c.endedAt(),
                        c.workerId(),
                        c.exitCode()));
            }
            return new RunView.Row(n.id(), n.label(), n.kind().name(), bars, null);
        }
        Instant queued = null;
        Instant started = null;
        Instant ended = null;
        boolean allEnded = true;
        for (TaskCell c : cells) {
            queued = min(queued, c.queuedAt());
            started = min(started, c.startedAt());
            if (c.endedAt() == null) {
                allEnded = false;
            } else if (ended == null || c.endedAt().isAfter(ended)) {
                ended = c.endedAt();
            }
        }
        if (queued != null || started != null) {
            bars.add(new RunView.Bar(0, status.name(), queued, started, allEnded ? ended : null, null, null));
        }
        return new RunView.Row(n.id(), n.label(), n.kind().name(), bars, new TreeMap<>(counts));
    }

    private static Instant min(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isBefore(b) ? a : b;
    }

    private static Instant firstQueued(RunView.Row row) {
        if (row.bars().isEmpty()) {
            return null;
        }
        RunView.Bar first = row.bars().get(0);
        return first.queuedAt() != null ? first.queuedAt() : first.startedAt();
    }

    /** What a box of many tasks shows as its colour: work in flight first, then failure, then the rest. */
    static TaskStatus summaryStatus(Map<TaskStatus, Integer> counts, List<TaskCell> cells) {
        if (counts.isEmpty()) {
            return cells.isEmpty() ? TaskStatus.PENDING : cells.get(0).status();
        }
        for (TaskStatus s : List.of(TaskStatus.RUNNING, TaskStatus.QUEUED, TaskStatus.RETRYING)) {
            if (counts.containsKey(s)) {
                return TaskStatus.RUNNING;
            }
        }
        boolean pending = counts.containsKey(TaskStatus.PENDING);
        for (TaskStatus s : List.of(TaskStatus.FAILED, TaskStatus.TIMED_OUT, TaskStatus.UPSTREAM_FAILED)) {
            if (counts.containsKey(s)) {
                return pending ? TaskStatus.RUNNING : TaskStatus.FAILED;
            }
        }
        if (pending) {
            return counts.size() == 1 ? TaskStatus.PENDING : TaskStatus.RUNNING;
        }
        if (counts.containsKey(TaskStatus.CANCELLED)) {
            return TaskStatus.CANCELLED;
        }
        if (counts.containsKey(TaskStatus.SUCCESS)) {
            return TaskStatus.SUCCESS;
        }
        return TaskStatus.SKIPPED;
    }

    private static Map<TaskStatus, Integer> totalCounts(RunSnapshot snapshot) {
        Map<TaskStatus, Integer> counts = new EnumMap<>(TaskStatus.class);
        snapshot.tasks().forEach(c -> counts.merge(c.status(), 1, Integer::sum));
        snapshot.instances().forEach(c -> counts.merge(c.status(), 1, Integer::sum));
        return counts;
    }
}
