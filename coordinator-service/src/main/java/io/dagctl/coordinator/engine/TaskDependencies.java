package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.model.TriggerRule;
import java.util.List;

/**
 * A task's place in its run's graph: the tasks waiting on it and how far they were told of its end, and how its own
 * upstream tasks have ended. Stored at the task entry's top level.
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class TaskDependencies {

    private List<String> dependents;
    /**
     * How many of {@link #dependents} were told of this task's end: a large fan-out tells them in batches. For an
     * instance of a mapped task, 1 once its mapped task was told.
     */
    private int dependentsReleased;
    /** How its upstream tasks have ended so far; see {@link UpstreamEnds}. */
    private UpstreamEnds upstream;
    /** Entries written before trigger rules kept only this (their dependencies still to succeed); read once. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private Integer unfinishedDependencies;

    TaskDependencies() {
        // for JSON
    }

    TaskDependencies(int upstreamCount, List<String> dependents) {
        this.dependents = List.copyOf(dependents);
        this.upstream = UpstreamEnds.of(upstreamCount);
    }

    List<String> dependents() {
        return dependents;
    }

    boolean hasDependents() {
        return !dependents.isEmpty();
    }

    int released() {
        return dependentsReleased;
    }

    void releasedUpTo(int count) {
        dependentsReleased = count;
    }

    private UpstreamEnds upstream() {
        if (upstream == null) {
            upstream = UpstreamEnds.beforeTriggerRules(unfinishedDependencies == null ? 0 : unfinishedDependencies);
            unfinishedDependencies = null;
        }
        return upstream;
    }

    /** An upstream task ended; see {@link UpstreamEnds}. */
    void upstreamEnded(TaskStatus upstreamStatus) {
        upstream().ended(upstreamStatus);
    }

    /** A mapped upstream task ended: each of its instances counts as an upstream end. */
    void upstreamEnded(String mapped, InstanceCounts.End end) {
        upstream().ended(mapped, end);
    }

    /** How its upstream tasks have ended so far, for the reason of a skip or an upstream failure. */
    String upstreamSummary() {
        return upstream().summary();
    }

    TriggerRule.Decision decide(TriggerRule rule) {
        return upstream().decide(rule);
    }

    /** The run is retried: its dependents will be told of this task's new end, and failed upstream ends are forgotten. */
    void retried() {
        upstream().retried();
        dependentsReleased = 0;
    }
}
