package io.dagctl.cli;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The records the CLI reads and writes with Jackson, kept in a native image (core has no Quarkus annotations). */
@RegisterForReflection(targets = {
    io.dagctl.core.report.RunReport.class, io.dagctl.core.report.TaskReport.class,
    io.dagctl.core.report.RunSummary.class, io.dagctl.core.report.RunPage.class,
    io.dagctl.core.event.RunEvent.class, io.dagctl.core.model.DagSpec.class, io.dagctl.core.model.TaskSpec.class,
    io.dagctl.cli.local.ClusterState.class})
final class NativeImageReflection {

    private NativeImageReflection() {
    }
}
