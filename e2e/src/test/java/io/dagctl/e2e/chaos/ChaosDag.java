package io.dagctl.e2e.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The DAG the chaos scenarios run: {@code width} chains side by side (task i depends on task i - width), joined at the
 * end. Every task appends "name attempt" to a side-effect file, so re-executions can be counted.
 */
final class ChaosDag {

    static final int WIDTH = 10;

    private final int tasks;
    private final Path sideEffects;

    ChaosDag(int tasks, Path sideEffects) {
        this.tasks = tasks;
        this.sideEffects = sideEffects;
    }

    int taskCount() {
        return tasks + 1;
    }

    String yaml(String name) {
        StringBuilder out = new StringBuilder("name: ").append(name).append("\ntasks:\n");
        for (int i = 0; i < tasks; i++) {
            String sleep = "0." + (5 + (i % 4) * 5);
            out.append("  - {name: t")
                    .append(i)
                    .append(", command: 'echo \"$DAGCTL_TASK_NAME $DAGCTL_ATTEMPT\" >> ")
                    .append(sideEffects)
                    .append("; sleep ")
                    .append(sleep)
                    .append("'");
            if (i >= WIDTH) {
                out.append(", dependencies: [t").append(i - WIDTH).append("]");
            }
            out.append("}\n");
        }
        out.append("  - {name: join, command: 'echo \"join $DAGCTL_ATTEMPT\" >> ")
                .append(sideEffects)
                .append("', dependencies: [");
        for (int i = Math.max(0, tasks - WIDTH); i < tasks; i++) {
            out.append(i > Math.max(0, tasks - WIDTH) ? ", " : "").append("t").append(i);
        }
        return out.append("]}\n").toString();
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
