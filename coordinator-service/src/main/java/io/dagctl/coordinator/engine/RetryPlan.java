package io.dagctl.coordinator.engine;

import io.dagctl.core.model.TaskStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which tasks of a finished run run again on a retry: the chosen unsuccessful tasks (all of them, or one) and what they
 * blocked; each reset to PENDING with its count of dependencies that have not succeeded.
 */
final class RetryPlan {

    private RetryPlan() {}

    /**
     * Resets the tasks that run again and returns them in declaration order (empty: nothing to retry).
     *
     * @param onlyTask the one task to retry, or null for every unsuccessful task
     */
    static List<TaskEntry> reset(List<TaskEntry> tasks, String onlyTask) {
        Map<String, TaskEntry> byName = new HashMap<>();
        tasks.forEach(t -> byName.put(t.name(), t));
        Set<String> again = new LinkedHashSet<>();
        for (TaskEntry task : tasks) {
            if ((onlyTask == null || onlyTask.equals(task.name())) && task.status() != TaskStatus.SUCCESS) {
                again.add(task.name());
            }
        }
        Deque<String> frontier = new ArrayDeque<>(again);
        while (!frontier.isEmpty()) {
            for (String dependent : byName.get(frontier.poll()).dependents()) {
                if (byName.get(dependent).status() != TaskStatus.SUCCESS && again.add(dependent)) {
                    frontier.add(dependent);
                }
            }
        }
        // entries keep no dependency lists: invert the dependents
        Map<String, List<String>> dependenciesOf = new HashMap<>();
        for (TaskEntry task : tasks) {
            task.dependents()
                    .forEach(d -> dependenciesOf
                            .computeIfAbsent(d, k -> new ArrayList<>())
                            .add(task.name()));
        }
        List<TaskEntry> reset = new ArrayList<>();
        for (TaskEntry task : tasks) {
            if (again.contains(task.name())) {
                int unfinished = (int) dependenciesOf.getOrDefault(task.name(), List.of()).stream()
                        .filter(dep -> byName.get(dep).status() != TaskStatus.SUCCESS)
                        .count();
                reset.add(task);
                task.resetForRetry(unfinished);
            }
        }
        return reset;
    }
}
