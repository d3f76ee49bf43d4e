package io.dagctl.worker.app;

import io.dagctl.core.event.LogChunk;
import io.dagctl.core.event.TaskCancelRequested;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.event.TaskHeartbeat;
import io.dagctl.core.event.TaskStarted;
import io.quarkus.runtime.annotations.RegisterForReflection;

/** The event records Jackson reads and writes by reflection, kept in a native image (core has no Quarkus imports). */
@RegisterForReflection(
        targets = {
            TaskDispatched.class, TaskStarted.class,
            TaskHeartbeat.class, TaskFinished.class,
            TaskCancelRequested.class, LogChunk.class
        })
final class NativeImageReflection {

    private NativeImageReflection() {}
}
