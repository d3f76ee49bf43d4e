package io.dagctl.core.report;

import java.util.List;

/** One page of the stored DAGs, by name; {@code total} counts every DAG that matched. */
public record DagPage(List<DagSummary> dags, int total, int limit, int offset) {

    public DagPage {
        dags = List.copyOf(dags);
    }
}
