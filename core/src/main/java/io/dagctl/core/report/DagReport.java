package io.dagctl.core.report;

import io.dagctl.core.model.DagSpec;
import java.time.Instant;

/**
 * A stored DAG and one of its versions ({@code GET /api/v1/dags/{name}} for the latest, {@code .../versions/{n}}).
 *
 * @param deleted the DAG was deleted: only its versions can still be read, for its runs
 */
public record DagReport(DagSummary dag, boolean deleted, int version, String digest, Instant appliedAt, DagSpec spec) {}
