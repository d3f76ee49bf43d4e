package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.AttemptReport;
import io.dagctl.core.report.TaskReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a task's current attempt holds: when it was queued, started and ended, its lease, the worker, and what it
 * reported. Stored inside its {@link TaskEntry}, whose JSON keeps these fields at its top level (as entries always
 * had them).
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
public final class AttemptState {

    private Instant queuedAt;
    private Instant startedAt;
    private Instant endedAt;
    private Instant leaseExpiresAt;
    /** When the running attempt's worker must have reported by (coordinator's clock): its timeout plus the grace. */
    private Instant reportDueAt;

    private Integer exitCode;
    private String workerId;
    private String stdoutTail;
    private String stderrTail;
    private String error;
    /** What the attempt wrote to {@code $DAGCTL_OUTPUT}. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    private Map<String, Object> outputs = Map.of();
    /** How the attempt ended, once it has (FAILED, TIMED_OUT, LOST, NOT_STARTED, ...): kept for its history. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private String attemptOutcome;

    public Instant queuedAt() {
        return queuedAt;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    Instant leaseExpiresAt() {
        return leaseExpiresAt;
    }

    /** Null for entries written before it was kept: then the attempt's own start time is the reference. */
    Instant reportDueAt() {
        return reportDueAt;
    }

    public Integer exitCode() {
        return exitCode;
    }

    public String workerId() {
        return workerId;
    }

    String stdoutTail() {
        return stdoutTail;
    }

    String stderrTail() {
        return stderrTail;
    }

    public String error() {
        return error;
    }

    public Map<String, Object> outputs() {
        return outputs == null ? Map.of() : outputs;
    }

    /** A new attempt, queued {@code at}: what the last one held is gone (its error stays until the next is known). */
    void queued(Instant at) {
        attemptOutcome = null;
        queuedAt = at;
        startedAt = null;
        endedAt = null;
        leaseExpiresAt = null;
        reportDueAt = null;
        exitCode = null;
        workerId = null;
        outputs = Map.of();
    }

    /** A mapped task starts running its instances {@code at}: it has no attempt of its own. */
    void mapped(Instant at) {
        queuedAt = at;
        startedAt = at;
        endedAt = null;
    }

    void started(String worker, Instant at, Instant leaseUntil, Instant reportDue) {
        workerId = worker;
        startedAt = at;
        leaseExpiresAt = leaseUntil;
        reportDueAt = reportDue;
    }

    void movedTo(String worker, Instant leaseUntil) {
        workerId = worker;
        leaseExpiresAt = leaseUntil;
    }

    void heartbeat(Instant leaseUntil) {
        leaseExpiresAt = leaseUntil;
    }

    /** The attempt ended without a result of its own (lost, released, never started), for this reason. */
    void gaveUp(String how, String reason) {
        attemptOutcome = how;
        error = RecordLimits.keepStart(reason, RecordLimits.MAX_ERROR_CHARS);
    }

    /** What the worker reported, each part bounded whatever the results record holds. */
    void reported(TaskFinished result) {
        attemptOutcome = result.outcome() == null ? null : result.outcome().name();
        exitCode = result.exitCode() >= 0 ? result.exitCode() : null;
        workerId = result.workerId();
        if (startedAt == null) {
            startedAt = result.startedAt();
        }
        endedAt = result.endedAt();
        stdoutTail = RecordLimits.keepEnd(result.stdoutTail(), RecordLimits.MAX_STORED_TAIL_CHARS);
        stderrTail = RecordLimits.keepEnd(result.stderrTail(), RecordLimits.MAX_STORED_TAIL_CHARS);
        error = RecordLimits.keepStart(result.error(), RecordLimits.MAX_ERROR_CHARS);
        outputs = result.outputs();
        leaseExpiresAt = null;
        reportDueAt = null;
    }

    /** The task ends {@code at} (an end the worker reported is kept): no lease any more. */
    void ended(Instant at) {
        if (endedAt == null) {
            endedAt = at;
        }
        leaseExpiresAt = null;
        reportDueAt = null;
    }

    /** The task ends {@code at} without running, or stops running, for this reason. */
    void endedBecause(String reason, Instant at) {
        error = RecordLimits.keepStart(reason, RecordLimits.MAX_ERROR_CHARS);
        ended(at);
    }

    /** A task of a finished run that will run again: nothing of its last attempt's times, end or outputs is left. */
    void reset() {
        attemptOutcome = null;
        queuedAt = null;
        startedAt = null;
        endedAt = null;
        leaseExpiresAt = null;
        reportDueAt = null;
        exitCode = null;
        error = null;
        outputs = Map.of();
    }

    /**
     * The attempt as a past one, or null when it never was queued. One that never reported an end (lost, never
     * started) ends {@code at}, when it was given up, as {@code fallbackOutcome}.
     */
    /** The task's report, with this as its current attempt. */
    TaskReport report(
            String name, TaskStatus status, int attempt, String renderedCommand, List<AttemptReport> pastAttempts) {
        return new TaskReport(
                name,
                status,
                attempt,
                exitCode,
                startedAt,
                endedAt,
                durationMillis(),
                workerId,
                stdoutTail,
                stderrTail,
                error,
                outputs,
                renderedCommand,
                pastAttempts);
    }

    AttemptReport asPast(int attempt, String fallbackOutcome, Instant at, int maxErrorChars) {
        if (attempt == 0 || queuedAt == null) {
            return null;
        }
        return new AttemptReport(
                attempt,
                attemptOutcome != null ? attemptOutcome : fallbackOutcome,
                queuedAt,
                startedAt,
                endedAt != null ? endedAt : at,
                workerId,
                exitCode,
                RecordLimits.keepStart(error, maxErrorChars));
    }

    /** Milliseconds from start to end; null while either is unknown. */
    Long durationMillis() {
        return startedAt != null && endedAt != null
                ? Duration.between(startedAt, endedAt).toMillis()
                : null;
    }
}
