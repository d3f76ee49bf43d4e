package io.dagctl.core.template;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What an expression reads, found in its syntax tree: for a DAG's checks (a task it names must be upstream) and for
 * the coordinator (which task entries to load before evaluating it).
 *
 * @param tasks each task named under {@code tasks.}, with the fields read of it ({@code outputs}, {@code status},
 *     {@code exit_code})
 * @param outputKeys each task's output keys read by name ({@code tasks.a.outputs.rows}), not counting {@code has()}
 * @param params parameter names read by name
 * @param usesItem whether it reads {@code item}
 */
public record References(
        Map<String, Set<String>> tasks, Map<String, Set<String>> outputKeys, Set<String> params, boolean usesItem) {

    /** What several expressions read together. */
    public static References merge(Collection<References> all) {
        Map<String, Set<String>> tasks = new LinkedHashMap<>();
        Map<String, Set<String>> keys = new LinkedHashMap<>();
        Set<String> params = new LinkedHashSet<>();
        boolean item = false;
        for (References r : all) {
            r.tasks()
                    .forEach((k, v) ->
                            tasks.computeIfAbsent(k, x -> new LinkedHashSet<>()).addAll(v));
            r.outputKeys()
                    .forEach((k, v) ->
                            keys.computeIfAbsent(k, x -> new LinkedHashSet<>()).addAll(v));
            params.addAll(r.params());
            item |= r.usesItem();
        }
        return new References(tasks, keys, params, item);
    }
}
