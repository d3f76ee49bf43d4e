package io.dagctl.worker.app;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** The event records Jackson reads and writes by reflection, kept in a native image (core has no Quarkus annotations). */
@RegisterForReflection(targets = {
    io.dagctl.core.event.TaskDispatched.class, io.dagctl.core.event.TaskStarted.class,
    io.dagctl.core.event.TaskHeartbeat.class, io.dagctl.core.event.TaskFinished.class,
    io.dagctl.core.event.TaskCancelRequested.class, io.dagctl.core.event.LogChunk.class})
final class NativeImageReflection {

    private NativeImageReflection() {
    }
}
