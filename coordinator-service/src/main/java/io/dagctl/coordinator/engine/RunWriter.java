package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.coordinator.timer.TimerKind;
import io.dagctl.core.event.DagRunEnded;
import io.dagctl.core.event.DagRunReopened;
import io.dagctl.core.event.PoolSlotReleased;
import io.dagctl.core.event.PoolSlotRequested;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.TaskCancelRequested;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.report.TaskReport;
import io.dagctl.core.telemetry.TaskLogContext;
import io.dagctl.core.template.ExpressionException;
import io.dagctl.core.template.Template;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one place the handlers change anything: task and run entries and timers to the store, state changes, dispatches
 * and stops to the output, each told to the observer. All of it goes through the current {@link WorkUnit}, which
 * applies it together when the record or timer being handled is done.
 */
final class RunWriter {

    private static final Logger LOG = System.getLogger(RunStateMachine.class.getName());

    private final WorkUnit unit;
    private final RunObserver observer;
    private final Clock clock;
    private final CoordinatorConfig.AttemptTiming timing;
    private final TaskVariables variables;
    private final TaskLimit limit;
    private final DispatchTopics dispatchTopics;

    RunWriter(
            WorkUnit unit,
            RunObserver observer,
            Clock clock,
            CoordinatorConfig.AttemptTiming timing,
            DispatchTopics dispatchTopics) {
        this.dispatchTopics = dispatchTopics;
        this.unit = unit;
        this.observer = observer;
        this.clock = clock;
        this.timing = timing;
        this.variables = new TaskVariables(unit);
        this.limit = new TaskLimit(this, unit);
    }

    /**
     * Before the unit commits: runs with a task limit count their live attempts and let go of held tasks, now or (a unit
     * that records a fault) by timer.
     */
    void settleLimits(boolean letGoNow) {
        settlePools(now()); // first: a claim given back frees a place under the run's limit
        limit.settle(now(), letGoNow);
    }

    /**
     * Gives back the pool claims of the tasks this unit changed that no longer need them: a granted claim whose task has
     * no live attempt now (it ended, waits out a retry's backoff, or is held), and a waiting claim whose task ended
     * (cancelled, faulted). Done once per unit, on the tasks' final state in it: a lost attempt queued again in the same
     * unit keeps its task's slot.
     */
    private void settlePools(Instant now) {
        List<TaskEntry> ended = new ArrayList<>();
        List<TaskEntry> idle = new ArrayList<>();
        for (TaskEntry task : unit.changedTasks()) {
            TaskPoolClaim claim = task.waits().pool();
            if (claim.isWaiting() && task.status().isTerminal()) {
                ended.add(task);
            } else if (claim.isGranted() && !task.hasLiveAttempt()) {
                idle.add(task);
            }
        }
        // waiting claims leave the line first: a slot freed after them is not granted to a task that has ended
        ended.forEach(task -> releaseClaim(task, now));
        idle.forEach(task -> releaseClaim(task, now));
    }

    private void releaseClaim(TaskEntry task, Instant now) {
        releasePool(task.spec().pool(), task.waits().pool().holder(task.runId(), task.name()), now);
        task.waits().pool().released();
        unit.put(task);
    }

    /** Tells a pool's owner that {@code holder} no longer holds (or waits for) its slots. */
    void releasePool(String pool, String holder, Instant now) {
        unit.tellDagOwner(PoolSlotReleased.of(pool, holder, now));
    }

    /** A LIMIT timer: the run lets go of held tasks for its free places. */
    void letGoHeld(RunEntry run, Instant now) {
        limit.letGoByTimer(run, now);
    }

    TaskVariables variables() {
        return variables;
    }

    Instant now() {
        return clock.instant();
    }

    /** For reads; every write goes through this class. */
    RunStateStore store() {
        return unit;
    }

    RunObserver observer() {
        return observer;
    }

    CoordinatorConfig.AttemptTiming timing() {
        return timing;
    }

    /** What the current unit of work may still change. */
    WorkBudget budget() {
        return unit.budget();
    }

    /** Stores a task whose status changed and emits the change. */
    void save(TaskEntry task, Instant now) {
        limit.forgetIfEnded(task);
        unit.put(task);
        TaskReport view = task.toReport();
        unit.event(RunEvent.ofTask(
                task.runId(),
                now,
                task.name(),
                task.attempt(),
                task.status().name(),
                view.workerId(),
                view.exitCode(),
                view.error()));
    }

    /** Stores a task whose status did not change (a count, a lease, a position). */
    void update(TaskEntry task) {
        limit.forgetIfEnded(task);
        unit.put(task);
    }

    /** Stores a run entry; a change of its status is emitted. */
    void save(RunEntry run, Instant now, boolean statusChanged) {
        unit.put(run);
        if (statusChanged) {
            unit.event(RunEvent.ofRun(run.runId(), now, run.status().name()));
        }
    }

    void schedule(Timer timer) {
        unit.schedule(timer);
    }

    /**
     * Queues a new attempt of {@code task} and dispatches it, with a start deadline, its templates rendered. A
     * template that cannot be rendered (an output its upstream task did not write) fails the task instead, without
     * using a retry (the same outputs would fail it again), and its dependents are told by a RELEASE timer. A run at
     * its {@code max_active_tasks} holds the task instead, until a place is free ({@link TaskLimit}).
     */
    void dispatch(TaskEntry task, RunEntry run, Instant now) {
        if (limit.mustWait(task, run)) {
            limit.hold(task, run);
            return;
        }
        queue(task, run, now);
    }

    /**
     * {@link #dispatch} without the run's task limit: a held task let go for a free place. A task of a pool first asks
     * the pool's owner for its slots and waits (its status unchanged, its place under the run's limit taken); the grant
     * brings it back here.
     */
    void queue(TaskEntry task, RunEntry run, Instant now) {
        TaskSpec spec = task.spec();
        if (spec.pool() != null && !task.waits().pool().isGranted()) {
            if (!task.waits().pool().isWaiting()) {
                String holder = task.waits().pool().request(task.runId(), task.name());
                unit.tellDagOwner(PoolSlotRequested.of(
                        spec.pool(), holder, task.runId(), task.name(), spec.poolSlotsTaken(), 0, now));
            }
            update(task); // stored either way: a held task let go here is no longer held
            return;
        }
        String command = spec.command();
        Map<String, String> taskEnv = spec.env();
        if (TaskVariables.hasTemplates(task)) {
            TaskVariables.Rendered rendered;
            try {
                rendered = variables.render(task, run);
            } catch (ExpressionException e) {
                task.faulted("template: " + e.getMessage(), now);
                save(task, now);
                taskEnded(run, task, now);
                unit.schedule(Timer.ofTask(now, TimerKind.RELEASE, task.runId(), task.name()));
                return;
            }
            command = rendered.command();
            taskEnv = rendered.env();
            task.rendered(command);
        }
        if (spec.queue() != null) {
            dispatchTopics.ensure(spec.queueName());
        }
        AttemptId attempt = task.queueNewAttempt(now);
        save(task, now);
        Instant startBy = now.plus(timing.queueTimeout());
        unit.schedule(Timer.of(startBy.plusSeconds(1), TimerKind.START, attempt));
        Map<String, String> env = TaskVariables.runEnv(run); // a fresh map of its own
        env.putAll(taskEnv);
        if (task.mapping().instanceOf() != null) {
            env.put("DAGCTL_ITEM", Template.asText(task.mapping().instanceOf().item()));
        }
        unit.dispatch(TaskDispatched.of(
                        attempt,
                        spec.type(),
                        command,
                        env,
                        spec.timeout(),
                        timing.lease().toMillis(),
                        now,
                        startBy,
                        observer.attemptTraceparent(run, attempt))
                .inQueue(spec.queueName()));
        observer.taskDispatched(run, task);
    }

    /** Tells whichever worker runs {@code attempt} to stop it. */
    void stop(AttemptId attempt, Instant now, String reason) {
        unit.cancel(TaskCancelRequested.of(attempt.toString(), now, reason));
    }

    /** Counts a task that reached a terminal status into its run, which ends with its last task. */
    void taskEnded(RunEntry run, TaskEntry task, Instant now) {
        // a CANCELLED task is not a failure: a retry of the cancelled run resets it without counting it back
        boolean runEnded = run.taskEnded(task.status().isFailure(), now);
        save(run, now, runEnded);
        observer.taskEnded(run, task);
        if (runEnded) {
            runEnded(run);
        }
    }

    /** A run reached its end: told to the observer and logged. */
    void runEnded(RunEntry run) {
        observer.runEnded(run);
        if (run.dagVersion() != null) {
            unit.tellDagOwner(DagRunEnded.of(
                    run.dag(), run.runId(), run.status(), run.endedAt() != null ? run.endedAt() : run.startedAt()));
        }
        logRun(
                Level.INFO,
                run,
                "run {0} ended {1}: {2} of {3} task(s) failed{4}",
                run.runId(),
                run.status(),
                run.failedTasks(),
                run.taskCount(),
                run.error() == null ? "" : " (" + run.error() + ")");
    }

    /**
     * A backfill asked for the run of a tick that has one already (from the schedule, or an earlier backfill): its
     * DAG's owner counts the tick as skipped.
     */
    void runExistedBefore(String dagName, RunEntry existing) {
        unit.tellDagOwner(DagRunEnded.alreadyRan(dagName, existing.runId(), existing.status(), now()));
    }

    /**
     * A finished run was retried: a stored DAG's owner counts it as unfinished again, unless a backfill started it
     * (backfill runs never hold back the schedule).
     */
    void runReopened(RunEntry run, Instant now) {
        if (run.dagVersion() != null && !RunSubmitted.TRIGGER_BACKFILL.equals(run.trigger())) {
            unit.tellDagOwner(DagRunReopened.of(run.dag(), run.runId(), now));
        }
    }

    void logRun(Level level, RunEntry run, String message, Object... args) {
        try (TaskLogContext ignored = TaskLogContext.ofRun(run.runId(), run.traceparent())) {
            LOG.log(level, message, args);
        }
    }

    /** Logs a line about a task with its ids (and its run's trace id) as fields. */
    void logTask(Level level, TaskEntry task, String message, Object... args) {
        RunEntry run = unit.run(task.runId());
        try (TaskLogContext ignored = TaskLogContext.of(
                task.currentAttempt(), task.current().workerId(), run == null ? null : run.traceparent())) {
            LOG.log(level, message, args);
        }
    }
}
