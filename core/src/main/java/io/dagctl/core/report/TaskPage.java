package io.dagctl.core.report;

import io.dagctl.core.model.TaskStatus;
import java.util.List;
import java.util.Map;

/**
 * One page of a run's tasks, by task name.
 *
 * @param counts how many of the run's tasks are in each status (all of them, not only this page's)
 * @param nextCursor the {@code cursor} of the next page, or null when this page is the last; a page may hold fewer
 *     tasks than asked for (a filter that matches few of a large run's tasks) and still have a next one
 */
public record TaskPage(String runId, List<TaskReport> tasks, Map<TaskStatus, Integer> counts, String nextCursor) {

    public TaskPage {
        tasks = List.copyOf(tasks);
        counts = counts == null ? Map.of() : Map.copyOf(counts);
    }
}
