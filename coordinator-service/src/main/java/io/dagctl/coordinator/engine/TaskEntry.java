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
import java.util.List;

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
    /** Its dependents and how its upstream tasks ended; stored at the entry's top level. */
    @JsonUnwrapped
    private TaskDependencies graph;
    /** The command as rendered for the current attempt; null when the command holds no template. */
    private String renderedCommand;

    /** What {@code for_each} makes of it; stored at the entry's top level. */
    @JsonUnwrapped
    private TaskMapping mapping = new TaskMapping();

    private TaskStatus status;
    /** Its attempts' number and what they used up; stored at the entry's top level. */
    @JsonUnwrapped
    private AttemptCounts counts = new AttemptCounts();

    /** The current attempt; its fields are stored at the entry's top level. */
    @JsonUnwrapped
    private AttemptState current = new AttemptState();
    /** Its earlier attempts, oldest first, at most {@link TaskReport#PAST_ATTEMPTS_KEPT}; null until a second one. */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    private List<AttemptReport> pastAttempts;
    /** Whether it waits for a place under its run's limit, or for its pool; stored at the entry's top level. */
    @JsonUnwrapped
    private TaskWaits waits = new TaskWaits();
    /** The status the store holds for this entry (null: not stored yet); kept out of the JSON. */
    private transient TaskStatus storedStatus;

    TaskEntry() {
        // for JSON
    }

    /** Instance {@code position} of mapped task {@code mapped}, for {@code item}: PENDING, without dependencies. */
    static TaskEntry instanceOf(TaskEntry mapped, int position, Object item) {
        String name = InstanceOf.name(mapped.name(), position);
        TaskEntry entry = new TaskEntry(mapped.runId, mapped.index, mapped.spec.instance(name), List.of());
        entry.mapping = TaskMapping.instance(new InstanceOf(mapped.name(), position, item));
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
        this.graph = new TaskDependencies(spec.dependencies().size(), dependents);
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
        return counts.attempt();
    }

    public int index() {
        return index;
    }

    /** The current attempt: its times, worker, exit code, error and outputs, and its lease and report deadlines. */
    public AttemptState current() {
        return current;
    }

    /** Its attempts' number and what they used up. */
    AttemptCounts counts() {
        return counts;
    }

    TaskStatus storedStatus() {
        return storedStatus;
    }

    void markStored() {
        storedStatus = status;
        waits.pool().markStored();
    }

    AttemptId currentAttempt() {
        return new AttemptId(runId, spec.name(), counts.attempt());
    }

    boolean isCurrent(AttemptId id) {
        return id.attempt() == counts.attempt() && (status == TaskStatus.QUEUED || status == TaskStatus.RUNNING);
    }

    /** Its dependents and how its upstream tasks ended. */
    TaskDependencies graph() {
        return graph;
    }

    void dependentsReleasedUpTo(int count) {
        expectEndedBut(TaskStatus.CANCELLED);
        graph.releasedUpTo(count);
    }

    /** How it tells its dependents that it ended: instance by instance (a mapped task that ran them), or null: whole. */
    InstanceCounts.End mappedEnd() {
        return status.isTerminal() ? mapping.told() : null;
    }

    /** What its trigger rule makes of its dependencies' ends so far. */
    TriggerRule.Decision decide() {
        return graph.decide(spec.rule());
    }

    /** What {@code for_each} made of it: its instances, or the item it runs for. */
    TaskMapping mapping() {
        return mapping;
    }

    /** What it waits for before its attempt is queued: a place under its run's limit, its pool's slots. */
    TaskWaits waits() {
        return waits;
    }

    /** Whether a worker may be running an attempt of it (a mapped task runs none of its own). */
    boolean hasLiveAttempt() {
        return (status == TaskStatus.QUEUED || status == TaskStatus.RUNNING) && !mapping.runsInstances();
    }

    /** Held by its run's limit or waiting for its pool: it was decided before, and is not decided again. */
    boolean waitsForPlace() {
        return waits.forPlace();
    }

    /** Whether it takes a place under its run's {@code max_active_tasks}: a live attempt, or one waiting for a pool. */
    boolean takesPlace() {
        return hasLiveAttempt() || waits.pool().isWaiting();
    }

    /** {@link #takesPlace} as the store holds the entry (false for an entry not stored yet). */
    boolean tookPlaceWhenStored() {
        return ((storedStatus == TaskStatus.QUEUED || storedStatus == TaskStatus.RUNNING) && !mapping.runsInstances())
                || waits.pool().storedWaiting();
    }

    /** A mapped task still creating its instances. */
    boolean isExpanding() {
        return status == TaskStatus.RUNNING && mapping.isExpanding();
    }

    /** Its list gave {@code count} items: RUNNING until every instance has ended. */
    void mapped(int count, Instant at) {
        expect(TaskStatus.PENDING);
        status = TaskStatus.RUNNING;
        mapping.listed(count);
        current.mapped(at);
    }

    void instancesCreatedUpTo(int count) {
        expect(TaskStatus.RUNNING);
        if (mapping.createdUpTo(count)) {
            spec = spec.withoutLiteralItems();
        }
    }

    /** Every instance ended: FAILED when one failed, else SUCCESS when one succeeded, else SKIPPED. */
    void instancesEnded(Instant at) {
        expect(TaskStatus.RUNNING);
        InstanceCounts instances = mapping.instances();
        TaskStatus ending = instances.end();
        if (ending == TaskStatus.FAILED) {
            current.endedBecause(instances.failed() + " of " + instances.count() + " instances did not succeed", at);
        }
        end(ending, at);
    }

    /** Waiting, and its trigger rule has decided. */
    boolean isDecided() {
        // a held task was decided before: it waits for a place, not for its rule
        return status == TaskStatus.PENDING && !waits.forPlace() && decide() != TriggerRule.Decision.WAIT;
    }

    /** PENDING or RETRYING (or RUNNING, for a lost attempt) → QUEUED as a new attempt. */
    AttemptId queueNewAttempt(Instant at) {
        expect(TaskStatus.PENDING, TaskStatus.RETRYING, TaskStatus.RUNNING, TaskStatus.QUEUED);
        if (status != TaskStatus.PENDING) {
            // a task queued again while QUEUED or RUNNING lost its attempt (worker gone, never started in time)
            archiveAttempt(status == TaskStatus.RETRYING ? "FAILED" : "LOST", at);
        }
        counts.next();
        status = TaskStatus.QUEUED;
        current.queued(at);
        return currentAttempt();
    }

    void started(String worker, Instant at, Instant leaseUntil, Instant reportDue) {
        expect(TaskStatus.QUEUED);
        status = TaskStatus.RUNNING;
        counts.ran();
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
        counts.lost();
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
            counts.ran();
        }
        current.reported(result);
    }

    /** The attempt failed with a retry left: → RETRYING; returns the backoff before the next attempt, unjittered. */
    Duration scheduleRetry() {
        expect(TaskStatus.QUEUED, TaskStatus.RUNNING);
        int used = counts.useRetry();
        status = TaskStatus.RETRYING;
        return spec.backoffBeforeRetry(used);
    }

    /**
     * A worker could not start the attempt: → RETRYING without using a retry; returns the backoff before the next
     * attempt, unjittered. The caller fails the task instead once {@link AttemptCounts#notStartedInARow()} reaches its limit.
     */
    Duration notStarted() {
        expect(TaskStatus.QUEUED, TaskStatus.RUNNING);
        int inARow = counts.notStarted();
        status = TaskStatus.RETRYING;
        return spec.backoffBeforeRetry(inARow);
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
        counts.lost();
        current.gaveUp("LOST", reason);
    }

    /**
     * A task of a finished run that will run again: back to PENDING with its retries restored. Its count of unfinished
     * dependencies is kept: every success of a dependency counted down, whatever this task's state was.
     */
    void resetForRetry() {
        expectEndedBut(TaskStatus.SUCCESS);
        archiveAttempt(status.name(), current.endedAt());
        status = TaskStatus.PENDING;
        graph.retried();
        if (mapping.retried()) {
            status = TaskStatus.RUNNING; // its instances that did not succeed run again
        }
        counts.restore();
        current.reset();
    }

    /**
     * Keeps the current attempt's times and end among the past attempts, before a new attempt or a reset wipes them.
     * An attempt that never reported an end (lost, never started) ends {@code at}, when it was given up.
     */
    private void archiveAttempt(String fallbackOutcome, Instant at) {
        pastAttempts = PastAttempts.append(pastAttempts, current, counts.attempt(), fallbackOutcome, at);
    }

    /** Ended any way but {@code excluded}. */
    private void expectEndedBut(TaskStatus excluded) {
        if (!status.isTerminal() || status == excluded) {
            throw new IllegalStateException(
                    "task " + runId + "/" + spec.name() + " is " + status + ", expected an end other than " + excluded);
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
        TaskReport report = current.report(spec.name(), status, counts.attempt(), renderedCommand, pastAttempts)
                .inQueue(spec.queueName());
        return waits.explain(report, spec);
    }
}
