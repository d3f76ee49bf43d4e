package io.dagctl.e2e.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * The DAG the chaos scenarios run: {@code width} chains side by side (task i depends on task i - width), joined at the
 * end. Every task appends "name attempt worker" to a side-effect file, so re-executions can be counted, and put down to
 * the worker that ran the first one.
 */
final class ChaosDag {

    static final int WIDTH = 10;

    private final int tasks;
    private final Path sideEffects;
    private final IntFunction<String> sleepOf;

    ChaosDag(int tasks, Path sideEffects) {
        this(tasks, sideEffects, i -> "0." + (5 + (i % 4) * 5));
    }

    /** @param sleepOf how long task i sleeps, as {@code sleep} takes it */
    ChaosDag(int tasks, Path sideEffects, IntFunction<String> sleepOf) {
        this.tasks = tasks;
        this.sideEffects = sideEffects;
        this.sleepOf = sleepOf;
    }

    int taskCount() {
        return tasks + 1;
    }

    String yaml(String name) {
        StringBuilder out = new StringBuilder("name: ").append(name).append("\ntasks:\n");
        for (int i = 0; i < tasks; i++) {
            String sleep = sleepOf.apply(i);
            out.append("  - {name: t")
                    .append(i)
                    .append(", command: 'echo \"$DAGCTL_TASK_NAME $DAGCTL_ATTEMPT $DAGCTL_WORKER_ID\" >> ")
                    .append(sideEffects)
                    .append("; sleep ")
                    .append(sleep)
                    .append("'");
            if (i >= WIDTH) {
                out.append(", dependencies: [t").append(i - WIDTH).append("]");
            }
            out.append("}\n");
        }
        out.append("  - {name: join, command: 'echo \"join $DAGCTL_ATTEMPT $DAGCTL_WORKER_ID\" >> ")
                .append(sideEffects)
                .append("', dependencies: [");
        for (int i = Math.max(0, tasks - WIDTH); i < tasks; i++) {
            out.append(i > Math.max(0, tasks - WIDTH) ? ", " : "").append("t").append(i);
        }
        return out.append("]}\n").toString();
    }

    /**
     * Executions beyond the first of each task that no kill explains: an execution is explained when an earlier one of
     * the same task ran on a worker that was killed (its attempt was lost with it, or its record was taken again).
     */
    long duplicatesNotAfterAKill(Set<String> killedWorkers) throws IOException {
        return unexplainedDuplicates(killedWorkers).size();
    }

    /** The executions {@link #duplicatesNotAfterAKill} counts, each as "task: attempt@worker, attempt@worker, ...". */
    List<String> unexplainedDuplicates(Set<String> killedWorkers) throws IOException {
        if (!Files.exists(sideEffects)) {
            return List.of();
        }
        Map<String, List<String[]>> runsByTask = new LinkedHashMap<>();
        for (String line : Files.readAllLines(sideEffects)) {
            String[] parts = line.split(" ");
            runsByTask.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(parts);
        }
        List<String> unexplained = new ArrayList<>();
        runsByTask.forEach((task, runs) -> {
            for (int i = 1; i < runs.size(); i++) {
                boolean afterAKill = runs.subList(0, i).stream().anyMatch(r -> killedWorkers.contains(workerOf(r)));
                if (!afterAKill) {
                    unexplained.add(task + ": "
                            + runs.stream()
                                    .map(r -> (r.length > 1 ? r[1] : "?") + "@" + workerOf(r))
                                    .collect(Collectors.joining(", ")));
                }
            }
        });
        return unexplained;
    }

    private static String workerOf(String[] sideEffect) {
        return sideEffect.length > 2 ? sideEffect[2] : "?";
    }

    /** Executions beyond the first of each task. */
    long duplicateExecutions() throws IOException {
        if (!Files.exists(sideEffects)) {
            return 0;
        }
        List<String> lines = Files.readAllLines(sideEffects);
        Set<String> tasksSeen = new HashSet<>();
        for (String line : lines) {
            tasksSeen.add(line.split(" ")[0]);
        }
        return lines.size() - tasksSeen.size();
    }
}
