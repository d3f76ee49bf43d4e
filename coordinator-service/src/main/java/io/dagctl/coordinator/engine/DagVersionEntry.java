package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.ScheduleSpec;
import io.dagctl.core.schedule.ScheduleClock;
import java.time.Duration;
import java.time.Instant;

/**
 * One version of a stored DAG (store {@link StoreNames#DAG_VERSIONS}, key {@link StoreNames#dagVersionKey}).
 *
 * @param intervalPhaseMillis how far after the epoch-aligned times an interval without a start ticks, fixed when the
 *     version is stored (a version with the same schedule as the one before keeps its phase); null for a version
 *     stored before phases existed, whose ticks stay where they were (aligned), and for a schedule that has none
 */
public record DagVersionEntry(
        String name,
        int version,
        String digest,
        Instant appliedAt,
        DagSpec dag,
        @JsonInclude(JsonInclude.Include.NON_NULL) Long intervalPhaseMillis) {

    /** The phase a new version with this schedule gets: the DAG name's, for an interval without a start. */
    static Long phaseFor(String name, ScheduleSpec schedule) {
        if (schedule == null || schedule.every() == null || schedule.start() != null) {
            return null;
        }
        return ScheduleClock.phase(name, schedule.every()).toMillis();
    }

    /** This version's schedule clock; call only when it has a schedule. */
    public ScheduleClock clock() {
        return new ScheduleClock(
                dag.schedule(), intervalPhaseMillis == null ? Duration.ZERO : Duration.ofMillis(intervalPhaseMillis));
    }
}
