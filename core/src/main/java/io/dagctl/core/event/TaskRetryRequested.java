package io.dagctl.core.event;

import io.dagctl.core.model.RunId;
import java.time.Instant;

/**
 * Asks the owner of a finished run to run its failed, timed-out, upstream-failed and cancelled tasks again, keeping
 * what succeeded. {@code task} must be null: retrying one task alone is not supported (docs/architecture.md,
 * departure 5).
 */
public record TaskRetryRequested(int v, String runId, String task, Instant requestedAt) implements RunCommand {

    public TaskRetryRequested {
        RunId.require(runId);
        if (task != null) {
            throw new IllegalArgumentException("retrying one task ('" + task + "') is not supported: retry the run,"
                    + " and every task of it that did not succeed runs again");
        }
    }

    public static TaskRetryRequested of(String runId, Instant requestedAt) {
        return new TaskRetryRequested(Events.SCHEMA_VERSION, runId, null, requestedAt);
    }
}
