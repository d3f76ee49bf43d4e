package io.dagctl.cli.output;

import io.dagctl.core.model.TaskStatus;
import java.io.PrintWriter;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;

/**
 * Live progress of a run on stderr: a redrawn bar on a terminal, a line every few seconds otherwise (CI logs, pipes).
 */
public final class RunProgress implements AutoCloseable {

    private final ProgressBar bar;

    public RunProgress(int totalTasks, boolean interactive, PrintWriter err) {
        this.bar = ProgressBars.of("tasks", totalTasks, interactive, err);
    }

    public void update(Map<TaskStatus, Long> counts) {
        long finished = counts.entrySet().stream()
                .filter(e -> e.getKey().isTerminal())
                .mapToLong(Map.Entry::getValue)
                .sum();
        bar.stepTo(finished);
        bar.setExtraMessage(String.format(
                " running %d, queued %d, retrying %d, failed %d",
                counts.getOrDefault(TaskStatus.RUNNING, 0L),
                counts.getOrDefault(TaskStatus.QUEUED, 0L),
                counts.getOrDefault(TaskStatus.RETRYING, 0L),
                counts.entrySet().stream()
                        .filter(e -> e.getKey().isFailure())
                        .mapToLong(Map.Entry::getValue)
                        .sum()));
    }

    @Override
    public void close() {
        bar.close();
    }
}
