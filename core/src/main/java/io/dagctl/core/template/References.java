package io.dagctl.core.template;

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

    public static final References NONE = new References(Map.of(), Map.of(), Set.of(), false);
}
