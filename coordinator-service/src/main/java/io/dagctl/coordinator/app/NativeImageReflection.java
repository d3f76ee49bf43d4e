package io.dagctl.coordinator.app;

import io.dagctl.coordinator.engine.AttemptState;
import io.dagctl.coordinator.engine.DagEntry;
import io.dagctl.coordinator.engine.DagVersionEntry;
import io.dagctl.coordinator.engine.PoolClaim;
import io.dagctl.coordinator.engine.PoolEntry;
import io.dagctl.coordinator.engine.RunEntry;
import io.dagctl.coordinator.engine.TaskEntry;
import io.dagctl.core.event.DagApplied;
import io.dagctl.core.event.DagBackfillCancelled;
import io.dagctl.core.event.DagBackfillRequested;
import io.dagctl.core.event.DagDeleted;
import io.dagctl.core.event.DagPauseSet;
import io.dagctl.core.event.DagRunEnded;
import io.dagctl.core.event.DagRunReopened;
import io.dagctl.core.event.DagTriggered;
import io.dagctl.core.event.LogChunk;
import io.dagctl.core.event.PoolSet;
import io.dagctl.core.event.PoolSlotGranted;
import io.dagctl.core.event.PoolSlotReleased;
import io.dagctl.core.event.PoolSlotRequested;
import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.event.RunReleased;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.TaskCancelRequested;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.event.TaskHeartbeat;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.event.TaskStarted;
import io.dagctl.core.model.Backfill;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.ParamSpec;
import io.dagctl.core.model.ScheduleSpec;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.report.DagApplyResult;
import io.dagctl.core.report.DagPage;
import io.dagctl.core.report.DagReport;
import io.dagctl.core.report.DagSummary;
import io.dagctl.core.report.PoolPage;
import io.dagctl.core.report.PoolReport;
import io.dagctl.core.report.RunPage;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.RunSummary;
import io.dagctl.core.report.TaskReport;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The records Jackson reads and writes by reflection (events, DAG model, reports, state entries): a native image
 * keeps their constructors and accessors only when they are registered (core cannot carry Quarkus annotations).
 */
@RegisterForReflection(
        targets = {
            RunSubmitted.class,
            RunCancelRequested.class,
            TaskRetryRequested.class,
            RunReleased.class,
            TaskDispatched.class,
            TaskStarted.class,
            TaskHeartbeat.class,
            TaskFinished.class,
            RunEvent.class,
            TaskCancelRequested.class,
            LogChunk.class,
            DagSpec.class,
            TaskSpec.class,
            RunReport.class,
            TaskReport.class,
            RunSummary.class,
            RunPage.class,
            RunEntry.class,
            TaskEntry.class,
            AttemptState.class,
            ParamSpec.class,
            DagApplied.class,
            DagPauseSet.class,
            DagDeleted.class,
            DagTriggered.class,
            DagEntry.class,
            DagEntry.Outcome.class,
            DagVersionEntry.class,
            DagSummary.class,
            DagReport.class,
            DagPage.class,
            PoolReport.class,
            PoolPage.class,
            PoolSet.class,
            PoolSlotRequested.class,
            PoolSlotReleased.class,
            PoolSlotGranted.class,
            PoolEntry.class,
            PoolClaim.class,
            DagApplyResult.class,
            ScheduleSpec.class,
            DagRunEnded.class,
            DagBackfillRequested.class,
            DagBackfillCancelled.class,
            Backfill.class,
            DagRunReopened.class
        },
        // the package-private parts of a task entry, stored at its top level or nested in it
        classNames = {
            "io.dagctl.coordinator.engine.TaskDependencies",
            "io.dagctl.coordinator.engine.UpstreamEnds",
            "io.dagctl.coordinator.engine.TaskMapping",
            "io.dagctl.coordinator.engine.InstanceCounts",
            "io.dagctl.coordinator.engine.InstanceCounts$End",
            "io.dagctl.coordinator.engine.InstanceOf",
            "io.dagctl.coordinator.engine.AttemptCounts",
            "io.dagctl.coordinator.engine.RunTimes",
            "io.dagctl.coordinator.engine.TaskWaits",
            "io.dagctl.coordinator.engine.TaskHold",
            "io.dagctl.coordinator.engine.TaskPoolClaim",
            "io.dagctl.coordinator.engine.TaskPoolClaim$State"
        })
final class NativeImageReflection {

    private NativeImageReflection() {}
}
