package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.model.TriggerRule;
import java.util.HashMap;
import java.util.Map;

/**
 * How a task's upstream tasks have ended so far, as its trigger rule reads them. Every end is counted, also for a task
 * that has ended itself: a retry of the run relies on the count of successes (a success stays done), and zeroes the
 * other counts (what did not succeed runs again).
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class UpstreamEnds {

    /** How many upstream ends it waits for; null for an entry written before trigger rules (all_success then). */
    private Integer count;
    /** Upstream ends that have not succeeded (yet): counted down by every success. */
    private int unfinished;
    /** Ends failed (or cancelled) in this round of the run. */
    private int failed;
    /** Ends skipped in this round of the run. */
    private int skipped;
    /**
     * For each mapped upstream task that told its end: how many of its instances' successes were counted (they stay
     * counted across a retry, like a plain upstream task's success).
     */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    private Map<String, Integer> mappedSuccesses;

    UpstreamEnds() {
        // for JSON
    }

    static UpstreamEnds of(int dependencies) {
        UpstreamEnds ends = new UpstreamEnds();
        ends.count = dependencies;
        ends.unfinished = dependencies;
        return ends;
    }

    /** The count an entry written before trigger rules kept: its dependencies still to succeed. */
    static UpstreamEnds beforeTriggerRules(int unfinished) {
        UpstreamEnds ends = new UpstreamEnds();
        ends.unfinished = unfinished;
        return ends;
    }

    void ended(TaskStatus upstream) {
        TriggerRule.Counted counted = TriggerRule.count(upstream);
        if (counted == null) {
            throw new IllegalArgumentException(upstream + " is not the end of a task");
        }
        switch (counted) {
            case SUCCEEDED -> unfinished--;
            case FAILED -> failed++;
            case SKIPPED -> skipped++;
        }
    }

    /**
     * A mapped upstream task ended: each of its instances counts as an upstream end. The first time, its instances
     * beyond the one it was counted as add to the total; successes count by how many more there are than were counted
     * of it before (a retry re-runs only its instances that did not succeed); failures and skips of this round.
     */
    void ended(String mapped, InstanceCounts.End end) {
        if (mappedSuccesses == null) {
            mappedSuccesses = new HashMap<>();
        }
        Integer counted = mappedSuccesses.get(mapped);
        if (counted == null) {
            int extra = end.instances() - 1;
            if (count != null) {
                count += extra;
            }
            unfinished += extra;
            counted = 0;
        }
        unfinished -= end.succeeded() - counted;
        mappedSuccesses.put(mapped, end.succeeded());
        failed += end.failed();
        skipped += end.skipped();
    }

    TriggerRule.Decision decide(TriggerRule rule) {
        if (count == null) {
            // written before trigger rules: all_success, and the count of successes is all there is
            return TriggerRule.ALL_SUCCESS.decide(new TriggerRule.Upstream(unfinished, 0, failed, skipped));
        }
        return rule.decide(new TriggerRule.Upstream(count, count - unfinished, failed, skipped));
    }

    /** For the reason of a skip or an upstream failure. */
    String summary() {
        int total = count == null ? unfinished : count;
        int succeeded = count == null ? 0 : count - unfinished;
        return "(of " + total + " upstream: " + succeeded + " succeeded, " + failed + " failed, " + skipped
                + " skipped)";
    }

    /** The run is retried: every upstream task that did not succeed is reset too and will end again. */
    void retried() {
        failed = 0;
        skipped = 0;
    }
}
