package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.model.TriggerRule;

/**
 * A mapped task's instances once its list is known: how many there are, how many were created (in batches), and how
 * they ended so far.
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class InstanceCounts {

    /**
     * How a mapped task's instances ended, as totals: what it tells its dependents at its end. Each dependent counts
     * each instance as an upstream end of its own, from these totals and what it counted of the same task before.
     */
    record End(int instances, int succeeded, int failed, int skipped) {}

    private int count;
    private int created;
    private int succeeded;
    private int failed;
    private int skipped;
    /** The totals told at the mapped task's end; null until it ended, and after a retry. */
    private End told;

    InstanceCounts() {
        // for JSON
    }

    InstanceCounts(int count) {
        this.count = count;
    }

    int count() {
        return count;
    }

    int created() {
        return created;
    }

    int toCreate() {
        return count - created;
    }

    void createdUpTo(int position) {
        created = position;
    }

    /** One instance ended; true when every instance has. */
    boolean ended(TaskStatus instance) {
        switch (TriggerRule.count(instance)) {
            case SUCCEEDED -> succeeded++;
            case FAILED -> failed++;
            case SKIPPED -> skipped++;
        }
        return succeeded + failed + skipped >= count;
    }

    /** Every instance ended: the totals, kept to tell the dependents; and how the mapped task ends. */
    TaskStatus end() {
        told = new End(count, succeeded, failed, skipped);
        return failed > 0 ? TaskStatus.FAILED : succeeded > 0 ? TaskStatus.SUCCESS : TaskStatus.SKIPPED;
    }

    int failed() {
        return failed;
    }

    End told() {
        return told;
    }

    /** The run is retried: its instances that did not succeed run again; those that did stay counted. */
    void retried() {
        failed = 0;
        skipped = 0;
        told = null;
    }
}
