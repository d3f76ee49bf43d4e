package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A run's {@code max_active_tasks} and what {@link TaskLimit} counts against it; stored at the run entry's top level,
 * and only for a run with a limit (the fields are left out at their defaults).
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
public final class RunTaskCounts {

    /** Its DAG's {@code max_active_tasks}: how many tasks may have an attempt queued or running at once; null: no limit. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private Integer maxActiveTasks;
    /** Tasks with an attempt queued or running, as of the last unit of work. */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    private int activeTasks;
    /** Tasks held back by the limit, waiting for a place. */
    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    private int heldTasks;
    /**
     * Where a scan for its held tasks starts: past the keys it let go (removed keys stay behind as tombstones in the
     * store until compaction, and a scan from the start would walk all of them each time); null: from the first.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private String heldFrom;

    void limit(Integer limit) {
        this.maxActiveTasks = limit;
    }

    /** Its DAG's {@code max_active_tasks}, or null. */
    public Integer maxActiveTasks() {
        return maxActiveTasks;
    }

    /** Tasks with an attempt queued or running at the end of the last unit of work (counted only under a limit). */
    public int activeTasks() {
        return activeTasks;
    }

    void activeTasksChanged(int delta) {
        activeTasks = Math.max(0, activeTasks + delta);
    }

    /** Tasks held back by the limit, waiting for a place. */
    public int heldTasks() {
        return heldTasks;
    }

    void heldChanged(int delta) {
        heldTasks = Math.max(0, heldTasks + delta);
    }

    String heldFrom() {
        return heldFrom;
    }

    /** A task was held under {@code key}: a scan must not start after it. */
    void heldAt(String key) {
        if (heldFrom == null || key.compareTo(heldFrom) < 0) {
            heldFrom = key;
        }
    }

    /** The held tasks up to {@code key} were let go: scans start after it. */
    void heldGoneUpTo(String key) {
        heldFrom = key + "\0";
    }

    /**
     * A new round of the run: every task had ended. A held key a faulted run left behind is dropped when it is met
     * ({@link TaskLimit}).
     */
    void reset() {
        activeTasks = 0;
        heldTasks = 0;
        heldFrom = null;
    }
}
