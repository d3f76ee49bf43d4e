package io.dagctl.coordinator.telemetry;

import io.dagctl.coordinator.engine.OwnedWork;
import io.dagctl.coordinator.engine.RunEntry;
import io.dagctl.coordinator.engine.RunObserver;
import io.dagctl.coordinator.engine.TaskEntry;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.telemetry.DurationBuckets;
import io.dagctl.core.model.TaskStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * The coordinator's {@code dagctl_*} metrics (listed in the README). Counters count transitions as this instance
 * applied them; gauges show the work of the partitions it owns now, so sums over instances give the cluster's view.
 */
public final class CoordinatorMetrics implements RunObserver {

    private final MeterRegistry registry;
    private final Counter dispatched;
    private final Counter started;
    private final Counter retries;
    private final Counter zombies;
    private final Counter heartbeats;
    private final Timer dispatchLatency;

    public CoordinatorMetrics(MeterRegistry registry, OwnedWork work) {
        this.registry = registry;
        dispatched = Counter.builder("dagctl.tasks.dispatched").description("Task attempts dispatched to workers")
                .register(registry);
        started = Counter.builder("dagctl.tasks.started").description("Task attempts a worker started").register(registry);
        retries = Counter.builder("dagctl.task.retries").description("Retries scheduled after a failed attempt")
                .register(registry);
        zombies = Counter.builder("dagctl.zombie.reports")
                .description("Worker reports dropped because they were for a superseded attempt").register(registry);
        heartbeats = Counter.builder("dagctl.task.heartbeats").description("Heartbeats that renewed a running attempt's lease")
                .register(registry);
        dispatchLatency = timer("dagctl.dispatch.latency",
                "From a task becoming ready (coordinator clock) to its start (worker's report)").register(registry);
        Gauge.builder("dagctl.queue.depth", work, w -> w.tasks(TaskStatus.QUEUED))
                .description("Task attempts dispatched and not yet started, in the runs this instance owns")
                .register(registry);
        for (TaskStatus status : TaskStatus.values()) {
            if (!status.isTerminal()) {
                Gauge.builder("dagctl.tasks.active", work, w -> w.tasks(status)).tag("status", label(status))
                        .description("Unfinished tasks of the runs this instance owns, by status").register(registry);
            }
        }
        Gauge.builder("dagctl.runs.active", work, OwnedWork::activeRuns)
                .description("Unfinished runs this instance owns").register(registry);
    }

    static Timer.Builder timer(String name, String description) {
        Duration[] bounds = DurationBuckets.bounds();
        return Timer.builder(name).description(description).serviceLevelObjectives(bounds)
                .minimumExpectedValue(bounds[0]).maximumExpectedValue(bounds[bounds.length - 1]);
    }

    @Override
    public void runStarted(RunEntry run) {
        registry.counter("dagctl.runs.started").increment();
    }

    @Override
    public void runEnded(RunEntry run) {
        Counter.builder("dagctl.runs.finished").description("Runs that ended, by status")
                .tag("status", label(run.status().name())).register(registry).increment();
        timer("dagctl.run.duration", "From a run's (or its retry's) start to its end, by DAG")
                .tag("dag", run.dag()).register(registry).record(Duration.between(run.roundStartedAt(), run.endedAt()));
    }

    @Override
    public void taskDispatched(RunEntry run, TaskEntry task) {
        dispatched.increment();
    }

    @Override
    public void taskStarted(RunEntry run, TaskEntry task, Duration dispatchLatency) {
        started.increment();
        this.dispatchLatency.record(dispatchLatency);
    }

    @Override
    public void attemptEnded(RunEntry run, TaskEntry task, AttemptEnd end, Instant at) {
        Counter.builder("dagctl.task.attempts").description("Task attempts that ended, by outcome")
                .tag("outcome", label(end.name())).register(registry).increment();
        if (end == AttemptEnd.LOST || end == AttemptEnd.NOT_STARTED) {
            Counter.builder("dagctl.attempts.lost")
                    .description("Attempts given up without using a retry: no heartbeat, or not started in time")
                    .tag("reason", end == AttemptEnd.LOST ? "heartbeat" : "not_started").register(registry).increment();
        }
        if (task.startedAt() != null && task.endedAt() != null && end != AttemptEnd.LOST) {
            timer("dagctl.task.duration", "How long task attempts ran on a worker, by DAG")
                    .tag("dag", run.dag()).register(registry).record(Duration.between(task.startedAt(), task.endedAt()));
        }
    }

    @Override
    public void taskEnded(RunEntry run, TaskEntry task) {
        Counter.builder("dagctl.tasks.finished").description("Tasks that reached a final status, by status")
                .tag("status", label(task.status())).register(registry).increment();
    }

    @Override
    public void retryScheduled(RunEntry run, TaskEntry task, Duration backoff) {
        retries.increment();
    }

    @Override
    public void heartbeat(AttemptId attempt) {
        heartbeats.increment();
    }

    @Override
    public void zombieReport(AttemptId attempt) {
        zombies.increment();
    }

    @Override
    public void deadLetter(String sourceTopic) {
        Counter.builder("dagctl.dlq.records").description("Records that could not be read, sent to the dead-letter topic")
                .tag("source_topic", sourceTopic).register(registry).increment();
    }

    private static String label(Object value) {
        return value.toString().toLowerCase(Locale.ROOT);
    }
}
