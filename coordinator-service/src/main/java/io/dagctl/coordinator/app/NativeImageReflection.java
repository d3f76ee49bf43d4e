package io.dagctl.coordinator.app;

import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The records Jackson reads and writes by reflection (events, DAG model, reports, state entries): a native image
 * keeps their constructors and accessors only when they are registered (core cannot carry Quarkus annotations).
 */
@RegisterForReflection(targets = {
    io.dagctl.core.event.RunSubmitted.class, io.dagctl.core.event.RunCancelRequested.class,
    io.dagctl.core.event.TaskRetryRequested.class, io.dagctl.core.event.TaskDispatched.class,
    io.dagctl.core.event.TaskStarted.class, io.dagctl.core.event.TaskHeartbeat.class,
    io.dagctl.core.event.TaskFinished.class, io.dagctl.core.event.RunEvent.class,
    io.dagctl.core.event.TaskCancelRequested.class, io.dagctl.core.event.LogChunk.class,
    io.dagctl.core.model.DagSpec.class, io.dagctl.core.model.TaskSpec.class,
    io.dagctl.core.report.RunReport.class, io.dagctl.core.report.TaskReport.class,
    io.dagctl.core.report.RunSummary.class, io.dagctl.core.report.RunPage.class,
    io.dagctl.coordinator.engine.RunEntry.class, io.dagctl.coordinator.engine.TaskEntry.class})
final class NativeImageReflection {

    private NativeImageReflection() {
    }
}
