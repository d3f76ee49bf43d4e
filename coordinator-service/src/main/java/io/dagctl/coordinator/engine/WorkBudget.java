package io.dagctl.coordinator.engine;

/**
 * How many more entries one unit of work (a record, a timer tick) may change. Every fan-out, sweep and cascade takes
 * from it and, when it runs out, keeps its place and leaves the rest to a timer, so that no transaction grows with the
 * size of a DAG.
 */
final class WorkBudget {

    private final int size;
    private int left;
    private boolean exhausted;

    WorkBudget(int size) {
        this.size = size;
        this.left = size;
    }

    int size() {
        return size;
    }

    int used() {
        return size - left;
    }

    /** Takes one; false (and nothing taken) when none is left. */
    boolean take() {
        if (left <= 0) {
            exhausted = true;
            return false;
        }
        left--;
        return true;
    }

    int left() {
        return Math.max(0, left);
    }

    boolean isSpent() {
        return left <= 0;
    }

    /** Whether something had to be left for later: the transaction holding this unit should commit soon. */
    boolean wasExhausted() {
        return exhausted;
    }
}
