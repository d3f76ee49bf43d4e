package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.coordinator.timer.TimerKind;
import io.dagctl.core.event.PoolSlotGranted;
import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.WorkerEvent;
import io.dagctl.core.model.RunStatus;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * The run and task state machines (docs/architecture.md), one handler per family of message: commands of a run,
 * workers' reports of attempts, due timers. Applied by the owner of a run's partition only, one record at a time;
 * every write goes to {@link RunStateStore} and every dispatch to {@link RunOutput}, both inside the same Kafka
 * transaction, so a crash can neither lose a transition nor apply one twice.
 *
 * <p>Each record, and each due timer, is one {@link WorkUnit}: applied whole or not at all. One that fails is not
 * applied; what it was about (its task, its run) is failed with the reason in a unit of its own, and processing goes
 * on. Each unit may change at most {@code batch-size} entries; bigger work keeps its place and goes on by timer.
 */
public final class RunStateMachine {

    private static final Logger LOG = System.getLogger(RunStateMachine.class.getName());
    /** How many due timers one scan of the timer store takes at most. */
    private static final int TIMERS_PER_SCAN = 256;

    /** @param jitter spreads retry backoffs (±10 %) so that failed tasks do not come back in lockstep */
    public record Settings(
            CoordinatorConfig.AttemptTiming attempts,
            CoordinatorConfig.Limits limits,
            RandomGenerator jitter,
            DispatchTopics dispatchTopics) {

        public static Settings of(CoordinatorConfig config, RandomGenerator jitter, DispatchTopics dispatchTopics) {
            return new Settings(config.timing().attempts(), config.limits(), jitter, dispatchTopics);
        }
    }

    /** A record that was not applied; its reason goes with it to the dead-letter topic. */
    public static final class NotAppliedException extends Exception {
        NotAppliedException(String reason, Throwable cause) {
            super(reason, cause);
        }
    }

    private final WorkUnit unit;
    private final RunOutput output;
    private final RunWriter writer;
    private final int batchSize;
    private final RunCommandHandler commands;
    private final AttemptReportHandler reports;
    private final TimerHandler timers;
    private final AttemptEnds ends;
    private final RunSweeps sweeps;
    private boolean budgetExhausted;

    public RunStateMachine(
            RunStateStore store, RunOutput output, RunObserver observer, Clock clock, LagProbe lag, Settings settings) {
        this.unit = new WorkUnit(store, output);
        this.output = output;
        this.batchSize = settings.limits().batchSize();
        this.writer = new RunWriter(unit, observer, clock, settings.attempts(), settings.dispatchTopics());
        Downstream downstream = new Downstream(writer, writer.variables());
        this.sweeps = new RunSweeps(writer, downstream);
        this.ends = new AttemptEnds(writer, downstream, settings.jitter(), settings.limits());
        this.commands = new RunCommandHandler(writer, sweeps, downstream);
        this.reports = new AttemptReportHandler(writer, ends);
        this.timers = new TimerHandler(writer, ends, sweeps, lag);
    }

    /** @throws NotAppliedException when the command could not be applied (its run is failed with the reason) */
    public void apply(RunCommand command) throws NotAppliedException {
        if (command instanceof PoolSlotGranted grant) {
            // about one task: its attempt could not be queued, as for a report about it
            applyOrFault(
                    () -> commands.apply(command),
                    reason -> taskFaulted(grant.runId(), grant.task(), "its pool's grant: " + reason),
                    command.runId());
            return;
        }
        applyOrFault(() -> commands.apply(command), reason -> commands.faulted(command, reason), command.runId());
    }

    /** @throws NotAppliedException when the report could not be applied (its task is failed with the reason) */
    public void apply(WorkerEvent event) throws NotAppliedException {
        applyOrFault(() -> reports.apply(event), reason -> reports.faulted(event, reason), event.attemptId());
    }

    /**
     * Fires the timers due now, each in a unit of its own, as far as one unit's budget goes for all of them; the rest
     * stay due and go at the next tick. A timer that fails is reported as a dead letter and what it was about fails.
     */
    public void fireDueTimers() {
        fireDueTimers(writer.now());
    }

    void fireDueTimers(Instant now) {
        int remaining = batchSize;
        while (remaining > 0) {
            List<Timer> due = unit.takeDue(now, Math.min(remaining, TIMERS_PER_SCAN));
            if (due.isEmpty()) {
                return;
            }
            for (Timer timer : due) {
                unit.begin(Math.max(1, remaining));
                try {
                    timers.fire(timer, now);
                    noteBudget();
                    remaining -= Math.max(1, unit.budget().used());
                    writer.settleLimits(true);
                    unit.commit();
                } catch (RuntimeException e) {
                    unit.discard();
                    String reason = describe(e);
                    LOG.log(Level.ERROR, "timer " + timer.key() + " could not be applied: " + reason, e);
                    output.deadLetter(timer.target(), timer.key().getBytes(StandardCharsets.UTF_8), "timer", reason);
                    timerFailed(timer, reason);
                    remaining--;
                }
            }
        }
    }

    /** Whether a unit since the last call had to leave work for later (its transaction should commit soon). */
    public boolean takeBudgetExhausted() {
        boolean exhausted = budgetExhausted;
        budgetExhausted = false;
        return exhausted;
    }

    private void applyOrFault(Runnable apply, Consumer<String> fault, String about) throws NotAppliedException {
        unit.begin(batchSize);
        try {
            apply.run();
            noteBudget();
            writer.settleLimits(true);
            unit.commit();
        } catch (RuntimeException e) {
            unit.discard();
            String reason = describe(e);
            LOG.log(Level.WARNING, "a record about " + about + " could not be applied: " + reason, e);
            inUnit(() -> fault.accept(reason), about);
            throw new NotAppliedException(reason, e);
        }
    }

    /**
     * Applies what a failed unit was about in a unit of its own; if even that fails, it is logged and dropped (false).
     */
    private boolean inUnit(Runnable work, String about) {
        unit.begin(batchSize);
        try {
            work.run();
            noteBudget();
            writer.settleLimits(false);
            unit.commit();
            return true;
        } catch (RuntimeException e) {
            unit.discard();
            LOG.log(Level.ERROR, "could not mark what " + about + " was about as failed", e);
            return false;
        }
    }

    /**
     * @param sweepCanGoOn false when even the sweep's own bookkeeping failed: a cancelling run then ends at once
     */
    private void runFaulted(String runId, String why, boolean sweepCanGoOn) {
        RunEntry run = unit.run(runId);
        if (run == null) {
            return;
        }
        if (run.status() == RunStatus.CANCELLING && !sweepCanGoOn) {
            sweeps.endNow(run, why, writer.now());
        } else {
            commands.endRun(run, why, writer.now());
        }
    }

    /**
     * A timer could not be applied (the timer is gone): what it was about fails, each step in a unit of its own. When
     * that cannot be applied either, or changes nothing, the run is ended, so that no run waits forever for a timer
     * that will not come back.
     */
    private void timerFailed(Timer timer, String reason) {
        String why = "timer " + timer.kind() + " could not be applied: " + reason;
        String key = timer.key();
        if (timer.kind().level() != TimerKind.Level.RUN) {
            failTaskOrElseRun(timer.runId(), timer.task(), why, key);
            return;
        }
        if (timer.kind() == TimerKind.LIMIT) {
            // a held task could not be let go: the run cannot go on past it
            inUnit(() -> runFaulted(timer.runId(), why, true), key);
            return;
        }
        String[] culprit = {null};
        Runnable sweepFaulted = () -> {
            RunEntry run = unit.run(timer.runId());
            culprit[0] = run == null ? null : sweeps.faulted(run, why, writer.now());
        };
        if (!inUnit(sweepFaulted, key)) {
            inUnit(() -> runFaulted(timer.runId(), why, false), key);
        } else if (culprit[0] != null) {
            // the sweep has gone on past the task that failed it; the task itself fails on its own
            failTaskOrElseRun(timer.runId(), culprit[0], "task " + culprit[0] + " could not be swept: " + reason, key);
        }
    }

    /**
     * Fails a task in a unit of its own; when that cannot be applied, or the task had already ended (a reset or a
     * release that failed), its run cannot go on and is ended.
     */
    private void failTaskOrElseRun(String runId, String taskName, String why, String about) {
        boolean[] changed = {false};
        if (!inUnit(() -> changed[0] = taskFaulted(runId, taskName, why), about) || !changed[0]) {
            inUnit(() -> runFaulted(runId, why, true), about);
        }
    }

    /** True when the task was failed; false when it is gone or had already ended. */
    private boolean taskFaulted(String runId, String taskName, String why) {
        TaskEntry task = unit.task(runId, taskName);
        return task != null && ends.faulted(task, why, writer.now());
    }

    private void noteBudget() {
        budgetExhausted |= unit.budget().wasExhausted();
    }

    private static String describe(RuntimeException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
