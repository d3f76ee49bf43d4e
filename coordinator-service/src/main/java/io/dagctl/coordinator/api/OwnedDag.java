package io.dagctl.coordinator.api;

import io.dagctl.coordinator.engine.DagEntry;
import io.dagctl.coordinator.engine.DagVersionEntry;

/**
 * A stored DAG as its owner holds it, outcomes of recent requests included: what one instance asks of another (the
 * internal {@code GET /api/v1/dags/{name}/owned}), and what the public answers are made from.
 *
 * @param version the version asked for, or null when it does not exist
 * @param latest the latest version (the DAG's schedule, tasks and params in listings), or null when it cannot be read
 */
record OwnedDag(DagEntry entry, DagVersionEntry version, DagVersionEntry latest) {}
