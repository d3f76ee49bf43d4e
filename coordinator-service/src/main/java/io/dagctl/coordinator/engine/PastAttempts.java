package io.dagctl.coordinator.engine;

import io.dagctl.core.report.AttemptReport;
import io.dagctl.core.report.TaskReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A task's bounded list of earlier attempts: a task retried 1,000 times keeps its last few, not 1,000. */
final class PastAttempts {

    static final int MAX_ERROR_CHARS = 500;

    private PastAttempts() {}

    /** {@code kept} and the attempt {@code current} holds, if it has anything to keep; see {@link AttemptState#asPast}. */
    static List<AttemptReport> append(
            List<AttemptReport> kept, AttemptState current, int attempt, String fallbackOutcome, Instant at) {
        AttemptReport past = current.asPast(attempt, fallbackOutcome, at, MAX_ERROR_CHARS);
        return past == null ? kept : append(kept, past);
    }

    static List<AttemptReport> append(List<AttemptReport> kept, AttemptReport ended) {
        List<AttemptReport> next = new ArrayList<>(kept == null ? List.of() : kept);
        next.add(ended);
        while (next.size() > TaskReport.PAST_ATTEMPTS_KEPT) {
            next.remove(0);
        }
        return next;
    }
}
