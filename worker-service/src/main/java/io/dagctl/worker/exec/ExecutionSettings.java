package io.dagctl.worker.exec;

import io.dagctl.core.event.RecordLimits;
import java.nio.file.Path;
import java.time.Duration;

/**
 * @param workRoot each attempt runs in {@code workRoot/<runId>.<task>.<attempt>}, removed afterwards unless kept
 * @param tailBytes how much of the end of stdout and of stderr is kept and reported (each)
 * @param killGrace how long a timed-out task has between SIGTERM and SIGKILL
 * @param maxOutputBytes the most a task may write to {@code $DAGCTL_OUTPUT}; more fails the attempt
 */
public record ExecutionSettings(
        Path workRoot, int tailBytes, Duration killGrace, boolean keepWorkDirs, int maxOutputBytes) {

    public ExecutionSettings(Path workRoot, int tailBytes, Duration killGrace, boolean keepWorkDirs) {
        this(workRoot, tailBytes, killGrace, keepWorkDirs, RecordLimits.DEFAULT_OUTPUTS_BYTES);
    }
}
