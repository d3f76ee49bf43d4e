package io.dagctl.core.report;

import java.time.Instant;

/**
 * A cluster-wide pool as {@code GET /api/v1/pools} and {@code dagctl pools list} show it.
 *
 * @param slots its size; null while no one set it (the tasks that name it wait)
 * @param inUse slots held by queued or running attempts (more than {@code slots} after a shrink, until they end)
 * @param waiting attempts waiting for slots
 */
public record PoolReport(String name, Integer slots, int inUse, int free, int waiting, Instant updatedAt) {}
