package io.dagctl.core.report;

import java.util.List;

/** One page of a run listing: {@code total} runs matched, these are the ones from {@code offset} on. */
public record RunPage(List<RunSummary> runs, int total, int limit, int offset) {

    public RunPage {
        runs = List.copyOf(runs);
    }
}
