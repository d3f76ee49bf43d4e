package io.dagctl.cli;

import io.dagctl.cli.local.ClusterState;
import io.dagctl.core.event.RunEvent;
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

/** The records the CLI reads and writes with Jackson, kept in a native image (core has no Quarkus annotations). */
@RegisterForReflection(
        targets = {
            RunReport.class,
            TaskReport.class,
            RunSummary.class,
            RunPage.class,
            RunEvent.class,
            DagSpec.class,
            TaskSpec.class,
            ParamSpec.class,
            ScheduleSpec.class,
            DagSummary.class,
            DagReport.class,
            DagPage.class,
            PoolReport.class,
            PoolPage.class,
            Backfill.class,
            DagApplyResult.class,
            ClusterState.class
        })
final class NativeImageReflection {

    private NativeImageReflection() {}
}
