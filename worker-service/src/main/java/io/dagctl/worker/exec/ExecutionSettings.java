package io.dagctl.worker.exec;

import java.nio.file.Path;
import java.time.Duration;

/**
 * @param workRoot each attempt runs in {@code workRoot/<runId>.<task>.<attempt>}, removed afterwards unless kept
 * @param tailBytes how much of the end of stdout and of stderr is kept and reported (each)
 * @param killGrace how long a timed-out task has between SIGTERM and SIGKILL
 */
public record ExecutionSettings(Path workRoot, int tailBytes, Duration killGrace, boolean keepWorkDirs) {}
