package io.dagctl.coordinator.engine;

import io.dagctl.core.model.RunStatus;

/**
 * A pass over every task of one run that is too large for one transaction: it goes through the tasks in key order, a
 * batch per transaction, and keeps its place here (in the run entry) so that a crash resumes it where it stopped.
 *
 * @param after the name of the last task handled; null before the first
 * @param endAs for a cancel: the status the run ends with (CANCELLED, or FAILED when a fault ended it)
 * @param stepwise after a step that failed: how many tasks still go one per transaction, so that the one that fails
 *     is found and passed over instead of failing the whole batch again
 */
record Sweep(Kind kind, String after, RunStatus endAs, int stepwise) {

    enum Kind {
        /** Dispatch every PENDING task whose dependencies all succeeded (the roots of a new run, a retry's start). */
        DISPATCH,
        /** Reset every unsuccessful task of a reopened run to PENDING; a DISPATCH sweep follows. */
        RESET,
        /** Stop every unfinished task of a cancelled run. */
        CANCEL
    }

    static Sweep from(Kind kind, RunStatus endAs) {
        return new Sweep(kind, null, endAs, 0);
    }

    Sweep past(String taskName) {
        return new Sweep(kind, taskName, endAs, Math.max(0, stepwise - 1));
    }

    Sweep stepwise(int tasks) {
        return new Sweep(kind, after, endAs, tasks);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase() + " sweep" + (after == null ? "" : " after " + after)
                + (stepwise == 0 ? "" : ", " + stepwise + " task(s) one at a time");
    }
}
