package io.dagctl.core.report;

import java.util.List;

/**
 * One page of a run listing, newest first.
 *
 * @param total how many runs the listing holds in all, when that is known without reading them (no filter but the
 *     DAG); otherwise null
 * @param nextCursor what to pass as {@code cursor} for the next page, or null when this page is the last
 */
public record RunPage(List<RunSummary> runs, Integer total, int limit, int offset, String nextCursor) {

    public RunPage {
        runs = List.copyOf(runs);
    }
}
