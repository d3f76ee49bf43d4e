package io.dagctl.core.report;

import java.util.List;

/** Every pool, by name ({@code GET /api/v1/pools}). */
public record PoolPage(List<PoolReport> pools) {

    public PoolPage {
        pools = pools == null ? List.of() : List.copyOf(pools);
    }
}
