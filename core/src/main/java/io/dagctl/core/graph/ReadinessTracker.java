package io.dagctl.core.graph;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The ready set of a DAG as its tasks complete: which tasks each completion unblocks. */
public final class ReadinessTracker {

    private final DagGraph graph;
    private final Map<String, Integer> unfinishedDependencies = new HashMap<>();

    ReadinessTracker(DagGraph graph) {
        this.graph = graph;
        for (String task : graph.topologicalOrder()) {
            unfinishedDependencies.put(task, graph.dependenciesOf(task).size());
        }
    }

    public List<String> initiallyReady() {
        return graph.roots();
    }

    /** Marks {@code task} done and returns the tasks that became ready because of it. */
    public List<String> complete(String task) {
        Integer left = unfinishedDependencies.get(task);
        if (left == null) {
            throw new IllegalArgumentException("unknown task '" + task + "'");
        }
        if (left == -1) {
            throw new IllegalStateException("task '" + task + "' is already complete");
        }
        if (left != 0) {
            throw new IllegalStateException("task '" + task + "' cannot complete before its dependencies");
        }
        unfinishedDependencies.put(task, -1);
        List<String> nowReady = new ArrayList<>();
        for (String dependent : graph.dependentsOf(task)) {
            if (unfinishedDependencies.merge(dependent, -1, Integer::sum) == 0) {
                nowReady.add(dependent);
            }
        }
        return nowReady;
    }
}
