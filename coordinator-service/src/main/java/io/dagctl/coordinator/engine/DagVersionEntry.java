package io.dagctl.coordinator.engine;

import io.dagctl.core.model.DagSpec;
import java.time.Instant;

/** One version of a stored DAG (store {@link StoreNames#DAG_VERSIONS}, key {@link StoreNames#dagVersionKey}). */
public record DagVersionEntry(String name, int version, String digest, Instant appliedAt, DagSpec dag) {}
