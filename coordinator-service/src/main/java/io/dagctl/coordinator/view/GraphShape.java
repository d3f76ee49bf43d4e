package io.dagctl.coordinator.view;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which boxes and arrows a run's graph shows. A run of at most {@link #MAX_TASK_NODES} tasks shows each task (a mapped
 * task is one box). A larger one is cut into at most {@link #MAX_BANDS} bands of consecutive levels (a task's level is
 * its longest path from a root); a band of a few tasks shows them, a wider one is one group box with counts, which a
 * click expands to its first {@link #MAX_EXPANDED} tasks, within a budget of {@link #MAX_BOXES} boxes for the whole graph (open groups nearer the roots come first).
 * So no page draws more than a few hundred boxes, whatever the size of the run and however many groups are open.
 */
record GraphShape(List<Node> nodes, List<Edge> edges, boolean aggregated, Map<String, String> nodeOfTask) {

    static final int MAX_TASK_NODES = 150;
    static final int MAX_BANDS = 30;
    static final int SMALL_BAND = 5;
    static final int MAX_EXPANDED = 200;
    /** No graph has more boxes than this, however many groups are open. */
    static final int MAX_BOXES = 400;

    enum Kind {
        TASK,
        MAPPED,
        GROUP
    }

    /** A box: one task, one mapped task, or a group of {@code size} tasks. */
    record Node(String id, String label, Kind kind, int level, int size, boolean expandable) {}

    /** An arrow; {@code label} the downstream task's trigger rule and condition, between two single tasks. */
    record Edge(String from, String to, String label) {}

    /** One task as the shape needs it: its name, dependents, and what labels the arrows into it. */
    record Task(String name, List<String> dependents, String rule, String when, boolean mapped) {}

    static GraphShape of(List<Task> tasks, Set<String> expanded) {
        if (tasks.size() <= MAX_TASK_NODES) {
            Map<String, String> nodeOf = new HashMap<>();
            List<Node> nodes = new ArrayList<>();
            int[] levels = levels(tasks);
            for (int i = 0; i < tasks.size(); i++) {
                Task t = tasks.get(i);
                nodes.add(new Node(t.name(), t.name(), t.mapped() ? Kind.MAPPED : Kind.TASK, levels[i], 1, false));
                nodeOf.put(t.name(), t.name());
            }
            return new GraphShape(nodes, edges(tasks, nodeOf), false, nodeOf);
        }
        int[] levels = levels(tasks);
        int deepest = 0;
        for (int level : levels) {
            deepest = Math.max(deepest, level);
        }
        int bandSize = (deepest + MAX_BANDS) / MAX_BANDS;
        Map<Integer, List<Integer>> bands = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            bands.computeIfAbsent(levels[i] / bandSize, b -> new ArrayList<>()).add(i);
        }
        List<Node> nodes = new ArrayList<>();
        Map<String, String> nodeOf = new HashMap<>();
        List<Map.Entry<Integer, List<Integer>>> sorted = new ArrayList<>(bands.entrySet());
        sorted.sort(Map.Entry.comparingByKey());
        for (int b = 0; b < sorted.size(); b++) {
            Map.Entry<Integer, List<Integer>> band = sorted.get(b);
            List<Integer> members = band.getValue();
            String groupId = "g" + band.getKey();
            int firstLevel = band.getKey() * bandSize;
            // every band after this one needs a box at least: what is left of the budget may open this one
            int budget = Math.max(0, MAX_BOXES - nodes.size() - (sorted.size() - b));
            int single = members.size() <= SMALL_BAND
                    ? members.size()
                    : expanded.contains(groupId) ? Math.min(Math.min(MAX_EXPANDED, members.size()), budget) : 0;
            for (int k = 0; k < single; k++) {
                Task t = tasks.get(members.get(k));
                nodes.add(new Node(
                        t.name(), t.name(), t.mapped() ? Kind.MAPPED : Kind.TASK, levels[members.get(k)], 1, false));
                nodeOf.put(t.name(), t.name());
            }
            if (single < members.size()) {
                String id = single == 0 ? groupId : groupId + "-rest";
                int size = members.size() - single;
                String levelText = bandSize == 1
                        ? "level " + (firstLevel + 1)
                        : "levels " + (firstLevel + 1) + "–" + (firstLevel + bandSize);
                String label = (single == 0 ? "" : "… ") + String.format("%,d tasks", size) + " · " + levelText;
                nodes.add(new Node(id, label, Kind.GROUP, firstLevel, size, single == 0));
                for (int k = single; k < members.size(); k++) {
                    nodeOf.put(tasks.get(members.get(k)).name(), id);
                }
            }
        }
        return new GraphShape(nodes, edges(tasks, nodeOf), true, nodeOf);
    }

    private static List<Edge> edges(List<Task> tasks, Map<String, String> nodeOf) {
        Map<String, Task> byName = new HashMap<>();
        tasks.forEach(t -> byName.put(t.name(), t));
        Map<String, Edge> edges = new LinkedHashMap<>();
        for (Task t : tasks) {
            String from = nodeOf.get(t.name());
            for (String dependent : t.dependents()) {
                String to = nodeOf.get(dependent);
                if (to == null || to.equals(from)) {
                    continue;
                }
                String key = from + "\u0000" + to;
                if (edges.containsKey(key)) {
                    continue;
                }
                Task down = byName.get(dependent);
                boolean single = from.equals(t.name()) && to.equals(dependent);
                edges.put(key, new Edge(from, to, single && down != null ? label(down) : null));
            }
        }
        return new ArrayList<>(edges.values());
    }

    private static String label(Task down) {
        String rule = down.rule() == null ? null : down.rule();
        if (rule == null && down.when() == null) {
            return null;
        }
        if (down.when() == null) {
            return rule;
        }
        return (rule == null ? "" : rule + " · ") + "when " + down.when();
    }

    /** Each task's longest path from a root, in the order given; Kahn's walk, so a deep chain costs no recursion. */
    static int[] levels(List<Task> tasks) {
        Map<String, Integer> position = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            position.put(tasks.get(i).name(), i);
        }
        int[] waiting = new int[tasks.size()];
        for (Task t : tasks) {
            for (String d : t.dependents()) {
                Integer p = position.get(d);
                if (p != null) {
                    waiting[p]++;
                }
            }
        }
        int[] level = new int[tasks.size()];
        ArrayDeque<Integer> ready = new ArrayDeque<>();
        for (int i = 0; i < waiting.length; i++) {
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        while (!ready.isEmpty()) {
            int i = ready.poll();
            for (String d : tasks.get(i).dependents()) {
                Integer p = position.get(d);
                if (p != null) {
                    level[p] = Math.max(level[p], level[i] + 1);
                    if (--waiting[p] == 0) {
                        ready.add(p);
                    }
                }
            }
        }
        return level;
    }
}
