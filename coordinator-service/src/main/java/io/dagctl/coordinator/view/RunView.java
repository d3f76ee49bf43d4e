package io.dagctl.coordinator.view;

import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.RunSummary;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What the run page draws, computed at the run's owner: the run's header, its graph laid out (aggregated for a large
 * run), and its timeline, one row per box of the graph. Its size is bounded by the number of boxes, not of tasks.
 *
 * @param scanMs how long the snapshot of the run's tasks that this view was drawn from took to read
 * @param refreshMs how long the page should wait before asking again: longer for a run whose snapshot is costly
 */
public record RunView(
        RunSummary run,
        Integer dagVersion,
        Map<String, String> params,
        String traceId,
        String error,
        boolean aggregated,
        double width,
        double height,
        List<Node> nodes,
        List<Edge> edges,
        List<Row> timeline,
        Instant takenAt,
        long scanMs,
        long refreshMs) {

    /** A box: a task, a mapped task with its instances' counts, or a group of tasks with theirs. */
    public record Node(
            String id,
            String label,
            String kind,
            double x,
            double y,
            double width,
            double height,
            TaskStatus status,
            Map<TaskStatus, Integer> counts,
            int size,
            boolean expandable) {}

    public record Edge(String from, String to, String label, List<double[]> points) {}

    /** A timeline row: a task's attempts, or one span for a mapped task or a group. */
    public record Row(String id, String label, String kind, List<Bar> bars, Map<TaskStatus, Integer> counts) {}

    /** An attempt (or a group's span): queued to started is waiting, started to ended is running. */
    public record Bar(
            int attempt,
            String status,
            Instant queuedAt,
            Instant startedAt,
            Instant endedAt,
            String workerId,
            Integer exitCode) {}
}
