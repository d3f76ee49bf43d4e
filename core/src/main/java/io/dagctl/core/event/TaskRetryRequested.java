package io.dagctl.core.event;

import java.time.Instant;

/**
 * Asks the owner of a finished run to run its failed, timed-out, upstream-failed and cancelled tasks again, keeping
 * what succeeded. {@code task} names one of them, or is null for all.
 */
public record TaskRetryRequested(int v, String runId, String task, Instant requestedAt) implements RunCommand {
}
