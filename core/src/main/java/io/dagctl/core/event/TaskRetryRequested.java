package io.dagctl.core.event;

import java.time.Instant;

/** Asks the owner of a finished run to run a failed task (and what it blocked) again. */
public record TaskRetryRequested(int v, String runId, String task, Instant requestedAt) implements RunCommand {
}
