package io.dagctl.core.report;

/**
 * What {@code PUT /api/v1/dags/{name}} did.
 *
 * @param changed false when the DAG was the same as its latest version (which it keeps)
 */
public record DagApplyResult(String name, int version, boolean changed) {}
