package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.model.ParamSpec;
import io.dagctl.core.model.ParamType;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunSummary;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The run-level state, stored under the run id: small and fixed-size whatever the DAG's size. Its methods are the run
 * state machine's transitions; each checks that it starts from a state that allows it.
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
public final class RunEntry {

    private String runId;
    private String dag;
    private RunStatus status;
    private Instant submittedAt;
    /** When it started, each round, and ended; stored at the entry's top level. */
    @JsonUnwrapped
    private RunTimes times = new RunTimes();

    private int taskCount;
    /** Tasks not yet in a terminal state; the run ends when it reaches 0. */
    private int unfinishedTasks;
    /** Tasks that ended FAILED, TIMED_OUT or UPSTREAM_FAILED. */
    private int failedTasks;

    private Map<String, String> params = Map.of();
    /** The declared type of each parameter that is not a string, for expressions (absent: string). */
    @JsonInclude(JsonInclude.Include.NON_EMPTY)
    private Map<String, ParamType> paramTypes = Map.of();
    /**
     * W3C context of the run's root span, fixed at submission so that every instance that owns the run later
     * continues the same trace; null when not traced.
     */
    private String traceparent;
    /** A pass over the run's tasks still going on, a batch per transaction; null when none. */
    private Sweep sweep;
    /** Why the run ended without its tasks deciding it; null when they did. */
    private String error;

    private String submissionId;
    private String submissionDigest;
    /** The stored DAG's version it runs; null for a DAG posted with the run. */
    private Integer dagVersion;
    /** What started it ({@code api}, {@code manual}); null in entries written before it was kept. */
    private String trigger;
    /** The moment the run stands for; null in entries written before it was kept (then: submitted at). */
    private Instant logicalDate;
    /** Its {@code max_active_tasks} and the counts kept against it; stored at the entry's top level. */
    @JsonUnwrapped
    private RunTaskCounts limit = new RunTaskCounts();

    RunEntry() {
        // for JSON
    }

    /** A run whose submission was applied: RUNNING, its tasks still to be dispatched. */
    static RunEntry started(
            String runId,
            String dag,
            Instant submittedAt,
            Instant startedAt,
            int taskCount,
            Map<String, String> params,
            String traceparent) {
        RunEntry run = new RunEntry();
        run.runId = runId;
        run.dag = dag;
        run.status = RunStatus.RUNNING;
        run.submittedAt = submittedAt;
        run.times.started(startedAt);
        run.taskCount = taskCount;
        run.unfinishedTasks = taskCount;
        run.params = params == null ? Map.of() : Map.copyOf(params);
        run.traceparent = traceparent;
        return run;
    }

    /**
     * A run that waits for a place under its DAG's {@code max_active_runs}: QUEUED, not started (no start time) until
     * {@link #released}.
     */
    static RunEntry queued(
            String runId,
            String dag,
            Instant submittedAt,
            int taskCount,
            Map<String, String> params,
            String traceparent) {
        RunEntry run = started(runId, dag, submittedAt, null, taskCount, params, traceparent);
        run.status = RunStatus.QUEUED;
        return run;
    }

    /** Its DAG's owner let the QUEUED run start: it runs from now. */
    void released(Instant at) {
        expect(RunStatus.QUEUED);
        status = RunStatus.RUNNING;
        times.started(at);
    }

    /** A submission that could not be applied: the run exists, FAILED, without tasks, and says why. */
    static RunEntry failedAtSubmission(String runId, String dag, Instant submittedAt, Instant at, String reason) {
        RunEntry run = started(runId, dag, submittedAt, at, 0, Map.of(), null);
        run.status = RunStatus.FAILED;
        run.times.ended(at);
        run.error = RecordLimits.keepStart(reason, RecordLimits.MAX_ERROR_CHARS);
        return run;
    }

    void identifySubmission(String submissionId, String digest) {
        this.submissionId = submissionId;
        this.submissionDigest = digest;
    }

    void source(Integer dagVersion, String trigger, Instant logicalDate) {
        this.dagVersion = dagVersion;
        this.trigger = trigger;
        this.logicalDate = logicalDate;
    }

    /** Its {@code max_active_tasks} and the counts kept against it. */
    public RunTaskCounts limit() {
        return limit;
    }

    public String runId() {
        return runId;
    }

    public String dag() {
        return dag;
    }

    public RunStatus status() {
        return status;
    }

    public Instant submittedAt() {
        return submittedAt;
    }

    public Instant startedAt() {
        return times.startedAt();
    }

    public Instant endedAt() {
        return times.endedAt();
    }

    public int taskCount() {
        return taskCount;
    }

    public int unfinishedTasks() {
        return unfinishedTasks;
    }

    public int failedTasks() {
        return failedTasks;
    }

    public Map<String, String> params() {
        return params;
    }

    /** Keeps the declared types of the parameters that are not strings. */
    void paramTypes(Map<String, ParamSpec> declared) {
        Map<String, ParamType> types = new HashMap<>();
        declared.forEach((name, spec) -> {
            if (spec.type() != ParamType.STRING) {
                types.put(name, spec.type());
            }
        });
        paramTypes = Map.copyOf(types);
    }

    /** The parameters as expressions see them: typed as declared, text otherwise. */
    Map<String, Object> typedParams() {
        Map<String, Object> typed = new HashMap<>();
        params.forEach((name, text) -> {
            ParamType type = paramTypes == null ? null : paramTypes.get(name);
            typed.put(name, type == null ? text : type.value(text));
        });
        return typed;
    }

    public String traceparent() {
        return traceparent;
    }

    public int rounds() {
        return times.rounds();
    }

    public Instant roundStartedAt() {
        return times.roundStartedAt();
    }

    public String error() {
        return error;
    }

    public String submissionId() {
        return submissionId;
    }

    public String submissionDigest() {
        return submissionDigest;
    }

    public Integer dagVersion() {
        return dagVersion;
    }

    public String trigger() {
        return trigger == null ? RunSubmitted.TRIGGER_API : trigger;
    }

    public Instant logicalDate() {
        return logicalDate == null ? submittedAt : logicalDate;
    }

    Sweep sweep() {
        return sweep;
    }

    /** Whether newly ready tasks are dispatched now: the run is running and not resetting its tasks for a retry. */
    boolean isDispatching() {
        return status == RunStatus.RUNNING && (sweep == null || sweep.kind() != Sweep.Kind.RESET);
    }

    /**
     * A task reached a terminal status; true when that ended the run. A cancelled run ends as its cancel asked
     * (CANCELLED, or FAILED for a run that could not go on), any other with SUCCESS or FAILED.
     */
    boolean taskEnded(boolean failed, Instant at) {
        expect(RunStatus.RUNNING, RunStatus.CANCELLING);
        unfinishedTasks--;
        if (failed) {
            failedTasks++;
        }
        if (unfinishedTasks > 0) {
            return false;
        }
        end(at);
        return true;
    }

    /**
     * Cancel was asked for (or the run cannot go on): no more dispatches; its unfinished tasks are stopped by a sweep.
     *
     * @param endAs CANCELLED, or FAILED for a run ended by a fault
     */
    void cancelling(String reason, RunStatus endAs) {
        expect(RunStatus.RUNNING, RunStatus.QUEUED);
        status = RunStatus.CANCELLING;
        error = RecordLimits.keepStart(reason, RecordLimits.MAX_ERROR_CHARS);
        sweep = Sweep.from(Sweep.Kind.CANCEL, endAs);
    }

    /**
     * A sweep is done and no task is left unfinished (a cancel that found nothing left to stop, a retry that found
     * nothing to reset): the run ends now; true when it did.
     */
    boolean endIfNothingLeft(Instant at) {
        if (status.isTerminal() || unfinishedTasks > 0) {
            return false;
        }
        end(at);
        return true;
    }

    /**
     * A cancel sweep went through every task: the run ends as its cancel asked, even if a task could not be stopped
     * (its entry could not be applied) and so was never counted as finished.
     */
    void endCancelled(Instant at) {
        expect(RunStatus.CANCELLING);
        unfinishedTasks = 0;
        end(at);
    }

    /** A cancelled run ends as its cancel asked (CANCELLED, or FAILED after a fault), any other by its tasks. */
    private void end(Instant at) {
        if (status == RunStatus.CANCELLING) {
            status = sweep != null && sweep.endAs() != null ? sweep.endAs() : RunStatus.CANCELLED;
        } else {
            status = failedTasks > 0 ? RunStatus.FAILED : RunStatus.SUCCESS;
        }
        times.ended(at);
        sweep = null;
    }

    /** A finished, unsuccessful run runs again: its unsuccessful tasks are reset by a sweep, then dispatched. */
    void reopened(Instant at) {
        expect(RunStatus.FAILED, RunStatus.CANCELLED);
        status = RunStatus.RUNNING;
        times.nextRound(at);
        limit.reset();
        error = null;
        sweep = Sweep.from(Sweep.Kind.RESET, null);
    }

    /** A mapped task's list gave {@code count} instances: each is a task of the run, unfinished until it ends. */
    void instancesAdded(int count) {
        expect(RunStatus.RUNNING, RunStatus.CANCELLING);
        taskCount += count;
        unfinishedTasks += count;
    }

    /**
     * A mapped task failed before it created its last {@code count} instances: the run does not wait for them (they
     * stay in its task count; a retry creates them).
     */
    void instancesDropped(int count) {
        expect(RunStatus.RUNNING, RunStatus.CANCELLING);
        unfinishedTasks -= count;
    }

    /** A reopened run's mapped task still has {@code count} instances to create: they are unfinished again. */
    void instancesStillToCreate(int count) {
        expect(RunStatus.RUNNING);
        unfinishedTasks += count;
    }

    /** One task of a reopened run was reset to PENDING. */
    void taskReset(boolean wasFailure) {
        expect(RunStatus.RUNNING, RunStatus.CANCELLING);
        unfinishedTasks++;
        if (wasFailure) {
            failedTasks--;
        }
    }

    /** Where the sweep goes on from, or null: it is done. */
    void sweepContinues(Sweep next) {
        sweep = next;
    }

    /** Something the run relied on could not be applied: record why (the caller also ends the run if it runs). */
    void faulted(String reason) {
        error = RecordLimits.keepStart(reason, RecordLimits.MAX_ERROR_CHARS);
    }

    private void expect(RunStatus... allowed) {
        for (RunStatus s : allowed) {
            if (status == s) {
                return;
            }
        }
        throw new IllegalStateException("run " + runId + " is " + status + ", expected one of " + List.of(allowed));
    }

    /** From its start to its end in milliseconds, or null: not ended, or ended before it started (cancelled QUEUED). */
    public Long ranFor() {
        return times.ranFor();
    }

    /** The run as a listing shows it. */
    public RunSummary summary() {
        Long duration = ranFor();
        return new RunSummary(
                runId,
                dag,
                status,
                submittedAt,
                times.startedAt(),
                times.endedAt(),
                duration,
                taskCount,
                failedTasks,
                trigger(),
                logicalDate(),
                null);
    }

    @Override
    public String toString() {
        return "run " + runId + " " + status + " (" + unfinishedTasks + " of " + taskCount + " unfinished, "
                + failedTasks + " failed" + (sweep == null ? "" : ", " + sweep) + ")";
    }
}
