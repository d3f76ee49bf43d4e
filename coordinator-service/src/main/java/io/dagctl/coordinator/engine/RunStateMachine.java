package io.dagctl.coordinator.engine;

import io.dagctl.core.event.RunCommand;
import io.dagctl.core.event.WorkerEvent;
import java.time.Clock;
import java.util.random.RandomGenerator;

/**
 * The run and task state machines (docs/architecture.md), one handler per family of message: commands of a run,
 * workers' reports of attempts, due timers. Applied by the owner of a run's partition only, one record at a time;
 * every write goes to {@link RunStateStore} and every dispatch to {@link RunOutput}, both inside the same Kafka
 * transaction, so a crash can neither lose a transition nor apply one twice.
 */
public final class RunStateMachine {

    /** @param jitter spreads retry backoffs (±10 %) so that failed tasks do not come back in lockstep */
    public record Settings(
            CoordinatorConfig.AttemptTiming attempts, CoordinatorConfig.Limits limits, RandomGenerator jitter) {

        public static Settings of(CoordinatorConfig config, RandomGenerator jitter) {
            return new Settings(config.timing().attempts(), config.limits(), jitter);
        }
    }

    private final RunCommandHandler commands;
    private final AttemptReportHandler reports;
    private final TimerHandler timers;

    public RunStateMachine(
            RunStateStore store, RunOutput output, RunObserver observer, Clock clock, Settings settings) {
        RunWriter writer = new RunWriter(store, output, observer, clock, settings.attempts());
        AttemptEnds ends = new AttemptEnds(writer, settings.jitter(), settings.limits());
        this.commands = new RunCommandHandler(writer);
        this.reports = new AttemptReportHandler(writer, ends);
        this.timers = new TimerHandler(writer, ends);
    }

    public void apply(RunCommand command) {
        commands.apply(command);
    }

    public void apply(WorkerEvent event) {
        reports.apply(event);
    }

    public void fireDueTimers() {
        timers.fireDue();
    }
}
