package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.model.TriggerRule;
import io.dagctl.core.report.AttemptReport;
import io.dagctl.core.report.TaskReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The state of one task of one run, as stored under {@code runId/task}. Its methods are the task state machine's
 * transitions; each checks that it starts from a state that allows it.
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
public final class TaskEntry {

    private String runId;
    private int index;
    private TaskSpec spec;
    private List<String> dependents;
    /**
     * How many of {@link #dependents} were told of this task's end: a large fan-out tells them in batches. For an
     * instance of a mapped task, 1 once its mapped task was told.
     */
    private int dependentsReleased;

    /** How its upstream tasks have ended so far; see {@link UpstreamEnds}. */
    private UpstreamEnds upstream;
    /** Entries written before trigger rules kept only this (their dependencies still to succeed); read once. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private Integer unfinishedDependencies;
    /** The command as rendered for the current attempt; null when the command holds no template. */
    private String renderedCommand;

    /** A mapped task ({@code for_each}) once its list is known; null otherwise. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private InstanceCounts instances;
    /** An instance of a mapped task; null otherwise. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    private InstanceOf instanceOf;

    private TaskStatus status;
    private int attempt;
    private int retriesUsed;
    private int lostAttempts;
    /**
     * Attempts in a row that a worker could not start (no interpreter, no work directory); reset by a start, or by the
     * result of an attempt that ran and ended before its start was reported.
     */
    private int notStartedInARow;

    /** The current attempt; its fields are stored at the entry's top level. */
    @JsonUnwrapped
    private AttemptState current = new AttemptState();
    /** Its earlier attempts, oldest first, at most {@link TaskReport#PAST_ATTEMPTS_KEPT}; null until a second one. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    private List<AttemptReport> pastAttempts;
    /** The status the store holds for this entry (null: not stored yet); kept out of the JSON. */
    private transient TaskStatus storedStatus;

    TaskEntry() {
        // for JSON
    }

    /** Tasks in declaration order, each mapped task's instances after it in list order. */
    static final Comparator<TaskEntry> DECLARATION_ORDER = Comparator.comparingInt(TaskEntry::index)
            .thenComparingInt(t -> t.instanceOf == null ? -1 : t.instanceOf.position());

    /** Instance {@code position} of mapped task {@code mapped}, for {@code item}: PENDING, without dependencies. */
    static TaskEntry instanceOf(TaskEntry mapped, int position, Object item) {
        String name = InstanceOf.name(mapped.name(), position);
        TaskEntry entry = new TaskEntry(mapped.runId, mapped.index, mapped.spec.instance(name), List.of());
        entry.instanceOf = new InstanceOf(mapped.name(), position, item);
        return entry;
    }

    /**
     * The entry keeps the spec without its dependency list: a join of 10,000 tasks would otherwise rewrite 10,000 names
     * on each of its 10,000 updates. Dependencies are known from the other tasks' {@code dependents} when needed.
     */
    TaskEntry(String runId, int index, TaskSpec spec, List<String> dependents) {
        this.runId = runId;
        this.index = index;
        this.spec = spec.withoutDependencies();
        this.dependents = List.copyOf(dependents);
        this.upstream = UpstreamEnds.of(spec.dependencies().size());
        this.status = TaskStatus.PENDING;
    }

    public String name() {
        return spec.name();
    }

    public String runId() {
        return runId;
    }

    public TaskSpec spec() {
        return spec;
    }

    public TaskStatus status() {
        return status;
    }

    public int attempt() {
        return attempt;
    }

    public int index() {
        return index;
    }

    List<String> dependents() {
        return dependents;
    }

    Instant leaseExpiresAt() {
        return current.leaseExpiresAt();
    }

    /** Null for entries written before it was kept: then the attempt's own start time is the reference. */
    Instant reportDueAt() {
        return current.reportDueAt();
    }

    public Instant startedAt() {
        return current.startedAt();
    }

    /** When the current attempt was queued: the moment the task became ready to run. */
    public Instant queuedAt() {
        return current.queuedAt();
    }

    public Instant endedAt() {
        return current.endedAt();
    }

    public Integer exitCode() {
        return current.exitCode();
    }

    public String error() {
        return current.error();
    }

    public Map<String, Object> outputs() {
        return current.outputs();
    }

    TaskStatus storedStatus() {
        return storedStatus;
    }

    void markStored() {
        storedStatus = status;
    }

    public String workerId() {
        return current.workerId();
    }

    AttemptId currentAttempt() {
        return new AttemptId(runId, spec.name(), attempt);
    }

    boolean isCurrent(AttemptId id) {
        return id.attempt() == attempt && (status == TaskStatus.QUEUED || status == TaskStatus.RUNNING);
    }

    int dependentsReleased() {
        return dependentsReleased;
    }

    void dependentsReleasedUpTo(int count) {
        expect(
                TaskStatus.SUCCESS,
                TaskStatus.FAILED,
                TaskStatus.TIMED_OUT,
                TaskStatus.UPSTREAM_FAILED,
                TaskStatus.SKIPPED);
        dependentsReleased = count;
    }

    /** A dependency ended; see {@link UpstreamEnds}. */
    void dependencyEnded(TaskStatus upstreamStatus) {
        upstream().ended(upstreamStatus);
    }

    /** A mapped dependency ended: each of its instances counts as an upstream end. */
    void dependencyEnded(String mapped, InstanceCounts.End end) {
        upstream().ended(mapped, end);
    }

    private UpstreamEnds upstream() {
        if (upstream == null) {
            upstream = UpstreamEnds.beforeTriggerRules(unfinishedDependencies == null ? 0 : unfinishedDependencies);
            unfinishedDependencies = null;
        }
        return upstream;
    }

    /** How it tells its dependents that it ended: instance by instance (a mapped task that ran them), or null: whole. */
    InstanceCounts.End mappedEnd() {
        return status.isTerminal() && instances != null && instances.count() > 0 ? instances.told() : null;
    }

    /** What its trigger rule makes of its dependencies' ends so far. */
    TriggerRule.Decision decide() {
        return upstream().decide(spec.rule());
    }

    /** What makes it an instance of a mapped task; null when it is not one. */
    InstanceOf instanceOf() {
        return instanceOf;
    }

    /** A mapped task's instances once its list is known (it runs, or ran, them); null otherwise. */
    InstanceCounts instances() {
        return instances;
    }

    /** Whether a worker may be running an attempt of it (a mapped task runs none of its own). */
    boolean hasLiveAttempt() {
        return (status == TaskStatus.QUEUED || status == TaskStatus.RUNNING) && instances == null;
    }

    /** A mapped task still creating its instances. */
    boolean isExpanding() {
        return status == TaskStatus.RUNNING && instances != null && instances.toCreate() > 0;
    }

    /** Its list gave {@code count} items: RUNNING until every instance has ended. */
    void mapped(int count, Instant at) {
        expect(TaskStatus.PENDING);
        status = TaskStatus.RUNNING;
        instances = new InstanceCounts(count);
        current.mapped(at);
    }

    void instancesCreatedUpTo(int count) {
        expect(TaskStatus.RUNNING);
        instances.createdUpTo(count);
        if (instances.toCreate() == 0) {
            spec = spec.withoutLiteralItems();
        }
    }

    /** One of its instances ended (counted whatever its own state: a retry keeps the successes); true for the last. */
    boolean instanceEnded(TaskStatus instanceStatus) {
        return instances.ended(instanceStatus);
    }

    /** Every instance ended: FAILED when one failed, else SUCCESS when one succeeded, else SKIPPED. */
    void instancesEnded(Instant at) {
        expect(TaskStatus.RUNNING);
        TaskStatus ending = instances.end();
        if (ending == TaskStatus.FAILED) {
            current.endedBecause(instances.failed() + " of " + instances.count() + " instances did not succeed", at);
        }
        end(ending, at);
    }

    /** How its dependencies have ended so far, for the reason of a skip or an upstream failure. */
    String upstreamSummary() {
        return upstream().summary();
    }

    /** Waiting, and its trigger rule has decided. */
    boolean isDecided() {
        return status == TaskStatus.PENDING && decide() != TriggerRule.Decision.WAIT;
    }

    /** PENDING or RETRYING (or RUNNING, for a lost attempt) → QUEUED as a new attempt. */
    AttemptId queueNewAttempt(Instant at) {
        expect(TaskStatus.PENDING, TaskStatus.RETRYING, TaskStatus.RUNNING, TaskStatus.QUEUED);
        if (status != TaskStatus.PENDING) {
            // a task queued again while QUEUED or RUNNING lost its attempt (worker gone, never started in time)
            archiveAttempt(status == TaskStatus.RETRYING ? "FAILED" : "LOST", at);
        }
        attempt++;
        status = TaskStatus.QUEUED;
        current.queued(at);
        return currentAttempt();
    }

    void started(String worker, Instant at, Instant leaseUntil, Instant reportDue) {
        expect(TaskStatus.QUEUED);
        status = TaskStatus.RUNNING;
        notStartedInARow = 0;
        current.started(worker, at, leaseUntil, reportDue);
    }

    /** The same attempt now runs on another worker (its dispatch record was re-delivered). */
    void movedTo(String worker, Instant leaseUntil) {
        expect(TaskStatus.RUNNING);
        current.movedTo(worker, leaseUntil);
    }

    /** The attempt was never started in time; the task is queued again without using a retry. */
    void notStartedInTime(String reason) {
        expect(TaskStatus.QUEUED);
        lostAttempts++;
        current.gaveUp("NOT_STARTED", reason);
    }

    void heartbeat(Instant leaseUntil) {
        expect(TaskStatus.RUNNING);
        current.heartbeat(leaseUntil);
    }

    /** Records what the worker reported; the caller decides between SUCCESS, RETRYING and a final failure. */
    void recordResult(TaskFinished result) {
        expect(TaskStatus.QUEUED, TaskStatus.RUNNING);
        if (result.outcome() != Outcome.NOT_STARTED) {
            notStartedInARow = 0; // it ran: a worker could start it
        }
        current.reported(result);
    }

    boolean hasRetriesLeft() {
        return retriesUsed < spec.maxRetries();
    }

    /** The attempt failed with a retry left: → RETRYING; returns the backoff before the next attempt, unjittered. */
    Duration scheduleRetry() {
        expect(TaskStatus.QUEUED, TaskStatus.RUNNING);
        retriesUsed++;
        status = TaskStatus.RETRYING;
        return spec.backoffBeforeRetry(retriesUsed);
    }

    /**
     * A worker could not start the attempt: → RETRYING without using a retry; returns the backoff before the next
     * attempt, unjittered. The caller fails the task instead once {@link #notStartedInARow} reaches its limit.
     */
    Duration notStarted() {
        expect(TaskStatus.QUEUED, TaskStatus.RUNNING);
        notStartedInARow++;
        status = TaskStatus.RETRYING;
        return spec.backoffBeforeRetry(notStartedInARow);
    }

    int notStartedInARow() {
        return notStartedInARow;
    }

    /** The current attempt succeeded: → SUCCESS. */
    void succeeded(Instant at) {
        expect(TaskStatus.QUEUED, TaskStatus.RUNNING);
        end(TaskStatus.SUCCESS, at);
    }

    /** The current attempt failed or timed out with no retry left (or could not be started again): FAILED or TIMED_OUT. */
    void failedFinally(TaskStatus failure, Instant at) {
        expect(TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.RETRYING);
        if (failure != TaskStatus.FAILED && failure != TaskStatus.TIMED_OUT) {
            throw new IllegalArgumentException(failure + " is not how an attempt fails");
        }
        end(failure, at);
    }

    /** The run was cancelled while this task had not finished: → CANCELLED, with why. */
    void cancelled(String reason, Instant at) {
        expect(TaskStatus.PENDING, TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.RETRYING);
        current.endedBecause(reason, at);
        end(TaskStatus.CANCELLED, at);
    }

    /** Something about the task could not be applied (a record the coordinator could not handle): → FAILED, with why. */
    void faulted(String reason, Instant at) {
        expect(TaskStatus.PENDING, TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.RETRYING);
        current.endedBecause(reason, at);
        end(TaskStatus.FAILED, at);
    }

    private void end(TaskStatus terminal, Instant at) {
        status = terminal;
        current.ended(at);
    }

    boolean hasDependents() {
        return !dependents.isEmpty();
    }

    /** Its trigger rule can no longer be met because of failures upstream: → UPSTREAM_FAILED, with why. */
    void upstreamFailed(String reason, Instant at) {
        expect(TaskStatus.PENDING);
        status = TaskStatus.UPSTREAM_FAILED;
        current.endedBecause(reason, at);
    }

    /** Its trigger rule or its condition says it does not run: → SKIPPED, with why. */
    void skipped(String reason, Instant at) {
        expect(TaskStatus.PENDING);
        status = TaskStatus.SKIPPED;
        current.endedBecause(reason, at);
    }

    void rendered(String command) {
        renderedCommand = command;
    }

    /**
     * The attempt went silent (lost) or its worker gave it back (released at shutdown): it ends here and the task is
     * queued again without using a retry.
     */
    void replaced(String reason) {
        expect(TaskStatus.QUEUED, TaskStatus.RUNNING);
        lostAttempts++;
        current.gaveUp("LOST", reason);
    }

    /**
     * A task of a finished run that will run again: back to PENDING with its retries restored. Its count of unfinished
     * dependencies is kept: every success of a dependency counted down, whatever this task's state was.
     */
    void resetForRetry() {
        expect(
                TaskStatus.FAILED,
                TaskStatus.TIMED_OUT,
                TaskStatus.UPSTREAM_FAILED,
                TaskStatus.CANCELLED,
                TaskStatus.SKIPPED);
        archiveAttempt(status.name(), current.endedAt());
        status = TaskStatus.PENDING;
        upstream().retried();
        if (instances != null && instances.count() > 0) {
            // a mapped task keeps its list: its instances that did not succeed are reset and run again
            status = TaskStatus.RUNNING;
            instances.retried();
        } else {
            instances = null;
        }
        dependentsReleased = 0;
        notStartedInARow = 0;
        retriesUsed = 0;
        current.reset();
    }

    /**
     * Keeps the current attempt's times and end among the past attempts, before a new attempt or a reset wipes them.
     * An attempt that never reported an end (lost, never started) ends {@code at}, when it was given up.
     */
    private void archiveAttempt(String fallbackOutcome, Instant at) {
        AttemptReport past = current.asPast(attempt, fallbackOutcome, at, PastAttempts.MAX_ERROR_CHARS);
        if (past != null) {
            pastAttempts = PastAttempts.append(pastAttempts, past);
        }
    }

    private void expect(TaskStatus... allowed) {
        for (TaskStatus s : allowed) {
            if (status == s) {
                return;
            }
        }
        throw new IllegalStateException(
                "task " + runId + "/" + spec.name() + " is " + status + ", expected one of " + List.of(allowed));
    }

    public TaskReport toReport() {
        return new TaskReport(
                spec.name(),
                status,
                attempt,
                current.exitCode(),
                current.startedAt(),
                current.endedAt(),
                current.durationMillis(),
                current.workerId(),
                current.stdoutTail(),
                current.stderrTail(),
                current.error(),
                current.outputs(),
                renderedCommand,
                pastAttempts);
    }
}
