package io.dagctl.core.graph;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds dependency cycles. Each cycle is returned as a path that starts and ends with the same task, in the direction
 * of the dependency edges: {@code [a, b, c, a]} means a depends on b, b on c and c on a.
 * Iterative, so a 100,000-task chain does not overflow the stack.
 */
public final class CycleFinder {

    private CycleFinder() {}

    /** @param dependencies task → the tasks it depends on; edges to tasks not in the map are ignored */
    public static List<List<String>> find(Map<String, List<String>> dependencies) {
        Map<String, Integer> color = new HashMap<>(); // absent = unvisited, 1 = on the path, 2 = done
        Set<String> inReportedCycle = new HashSet<>();
        List<List<String>> cycles = new ArrayList<>();
        for (String start : dependencies.keySet()) {
            if (color.containsKey(start)) {
                continue;
            }
            Deque<String> path = new ArrayDeque<>();
            Deque<Iterator<String>> edges = new ArrayDeque<>();
            path.push(start);
            edges.push(dependencies.get(start).iterator());
            color.put(start, 1);
            while (!path.isEmpty()) {
                Iterator<String> next = edges.peek();
                if (!next.hasNext()) {
                    color.put(path.pop(), 2);
                    edges.pop();
                    continue;
                }
                String dep = next.next();
                if (!dependencies.containsKey(dep)) {
                    continue;
                }
                Integer state = color.get(dep);
                if (state == null) {
                    color.put(dep, 1);
                    path.push(dep);
                    edges.push(dependencies.get(dep).iterator());
                } else if (state == 1 && !inReportedCycle.contains(dep)) {
                    List<String> cycle = cycleEndingAt(path, dep);
                    inReportedCycle.addAll(cycle);
                    cycles.add(cycle);
                }
            }
        }
        return cycles;
    }

    private static List<String> cycleEndingAt(Deque<String> path, String repeated) {
        List<String> cycle = new ArrayList<>();
        Iterator<String> fromBottom = path.descendingIterator();
        boolean inCycle = false;
        while (fromBottom.hasNext()) {
            String task = fromBottom.next();
            inCycle |= task.equals(repeated);
            if (inCycle) {
                cycle.add(task);
            }
        }
        cycle.add(repeated);
        return cycle;
    }
}
