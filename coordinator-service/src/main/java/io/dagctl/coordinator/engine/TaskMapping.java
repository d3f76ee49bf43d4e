package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * What {@code for_each} makes of a task: for a mapped task, its instances once its list is known; for an instance, which
 * mapped task and item it is. Neither for a plain task, which then stores nothing of it. Stored at the task entry's top
 * level.
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class TaskMapping {

    /** A mapped task's instances once its list is known; null otherwise. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private InstanceCounts instances;
    /** An instance of a mapped task; null otherwise. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private InstanceOf instanceOf;

    static TaskMapping instance(InstanceOf of) {
        TaskMapping mapping = new TaskMapping();
        mapping.instanceOf = of;
        return mapping;
    }

    InstanceOf instanceOf() {
        return instanceOf;
    }

    InstanceCounts instances() {
        return instances;
    }

    /** Its position among its mapped task's instances; -1 when it is not an instance. */
    int position() {
        return instanceOf == null ? -1 : instanceOf.position();
    }

    /** A mapped task whose list is known: it runs instances, no attempt of its own. */
    boolean runsInstances() {
        return instances != null;
    }

    /** Still creating instances. */
    boolean isExpanding() {
        return instances != null && instances.toCreate() > 0;
    }

    /** How an ended mapped task tells its dependents: instance by instance, or null when it ran none (whole). */
    InstanceCounts.End told() {
        return instances != null && instances.count() > 0 ? instances.told() : null;
    }

    void listed(int count) {
        instances = new InstanceCounts(count);
    }

    /** Instances up to {@code count} exist; true once all do. */
    boolean createdUpTo(int count) {
        instances.createdUpTo(count);
        return instances.toCreate() == 0;
    }

    /**
     * The run is retried: a mapped task keeps its list, and its instances that did not succeed run again; true when it
     * has such a list. A list that gave no items is forgotten.
     */
    boolean retried() {
        if (instances != null && instances.count() > 0) {
            instances.retried();
            return true;
        }
        instances = null;
        return false;
    }
}
