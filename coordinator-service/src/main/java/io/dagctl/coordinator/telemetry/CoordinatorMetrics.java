package io.dagctl.coordinator.telemetry;

import io.dagctl.coordinator.engine.OwnedWork;
import io.dagctl.coordinator.engine.RunEntry;
import io.dagctl.coordinator.engine.RunObserver;
import io.dagctl.coordinator.engine.TaskEntry;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.telemetry.DurationBuckets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The coordinator's {@code dagctl_*} metrics (listed in the README). Counters count transitions as this instance
 * applied them; gauges show the work of the partitions it owns now, so sums over instances give the cluster's view.
 * Every meter of a fixed label set is registered up front (series exist from the start, at 0), and the per-DAG ones
 * once per DAG: the per-task path only increments.
 */
public final class CoordinatorMetrics implements RunObserver {

    private final MeterRegistry registry;
    private final Counter runsStarted;
    private final Counter dispatched;
    private final Counter started;
    private final Counter retries;
    private final Counter zombies;
    private final Counter heartbeats;
    private final Timer dispatchLatency;
    private final Map<AttemptEnd, Counter> attempts = new EnumMap<>(AttemptEnd.class);
    private final Map<AttemptEnd, Counter> lost = new EnumMap<>(AttemptEnd.class);
    private final Map<TaskStatus, Counter> tasksFinished = new EnumMap<>(TaskStatus.class);
    private final Map<RunStatus, Counter> runsFinished = new EnumMap<>(RunStatus.class);
    private final Map<String, Timer> taskDurationByDag = new ConcurrentHashMap<>();
    /** DAGs with a run-duration series of their own; the runs of any further DAG are counted under {@link #OTHER_DAGS}. */
    static final int MAX_DAG_SERIES = 500;

    static final String OTHER_DAGS = "_other";

    private final Map<String, Timer> runDurationByDag = new ConcurrentHashMap<>();
    private final Map<String, Counter> deadLettersByTopic = new ConcurrentHashMap<>();
    private final Map<String, Counter> scheduleTicks = new ConcurrentHashMap<>();
    private final Timer scheduleLag;
    private final Timer scheduleStartLag;

    public CoordinatorMetrics(MeterRegistry registry, OwnedWork work) {
        this.registry = registry;
        runsStarted = Counter.builder("dagctl.runs.started")
                .description("Runs (and retry rounds of finished runs) started")
                .register(registry);
        dispatched = Counter.builder("dagctl.tasks.dispatched")
                .description("Task attempts dispatched to workers")
                .register(registry);
        started = Counter.builder("dagctl.tasks.started")
                .description("Task attempts a worker started")
                .register(registry);
        retries = Counter.builder("dagctl.task.retries")
                .description("Retries scheduled after a failed attempt")
                .register(registry);
        zombies = Counter.builder("dagctl.zombie.reports")
                .description("Worker reports dropped because they were for a superseded attempt")
                .register(registry);
        heartbeats = Counter.builder("dagctl.task.heartbeats")
                .description("Heartbeats that renewed a running attempt's lease")
                .register(registry);
        scheduleLag = timer(
                        "dagctl.schedule.lag",
                        "From a schedule tick (its logical date) to its run being submitted by the DAG's owner")
                .register(registry);
        scheduleStartLag = timer(
                        "dagctl.schedule.start.lag",
                        "From a schedule tick (its logical date) to its run's start at the run's owner (entries"
                                + " written, first tasks dispatched)")
                .register(registry);
        dispatchLatency = timer(
                        "dagctl.dispatch.latency",
                        "From a task becoming ready (coordinator clock) to its start (worker's report)")
                .register(registry);
        for (AttemptEnd end : AttemptEnd.values()) {
            attempts.put(
                    end,
                    Counter.builder("dagctl.task.attempts")
                            .description("Task attempts that ended, by outcome")
                            .tag("outcome", label(end))
                            .register(registry));
        }
        lost.put(AttemptEnd.LOST, lostCounter("heartbeat"));
        lost.put(AttemptEnd.NOT_STARTED, lostCounter("not_started"));
        lost.put(AttemptEnd.RELEASED, lostCounter("released"));
        for (TaskStatus status : TaskStatus.values()) {
            if (status.isTerminal()) {
                tasksFinished.put(
                        status,
                        Counter.builder("dagctl.tasks.finished")
                                .description("Tasks that reached a final status, by status")
                                .tag("status", label(status))
                                .register(registry));
            } else {
                Gauge.builder("dagctl.tasks.active", work, w -> w.tasks(status))
                        .tag("status", label(status))
                        .description("Unfinished tasks of the runs this instance owns, by status")
                        .register(registry);
            }
        }
        for (RunStatus status : RunStatus.values()) {
            if (status.isTerminal()) {
                runsFinished.put(
                        status,
                        Counter.builder("dagctl.runs.finished")
                                .description("Runs that ended, by status")
                                .tag("status", label(status))
                                .register(registry));
            }
        }
        Gauge.builder("dagctl.queue.depth", work, w -> w.tasks(TaskStatus.QUEUED))
                .description("Task attempts dispatched and not yet started, in the runs this instance owns")
                .register(registry);
        Gauge.builder("dagctl.runs.active", work, OwnedWork::activeRuns)
                .description("Unfinished runs this instance owns")
                .register(registry);
    }

    private Counter lostCounter(String reason) {
        return Counter.builder("dagctl.attempts.lost")
                .description("Attempts given up without using a retry: no heartbeat, not started (in time), or"
                        + " released by a worker that shut down")
                .tag("reason", reason)
                .register(registry);
    }

    static Timer.Builder timer(String name, String description) {
        Duration[] bounds = DurationBuckets.bounds();
        return Timer.builder(name)
                .description(description)
                .serviceLevelObjectives(bounds)
                .minimumExpectedValue(bounds[0])
                .maximumExpectedValue(bounds[bounds.length - 1]);
    }

    @Override
    public void runStarted(RunEntry run) {
        runsStarted.increment();
    }

    @Override
    public void runEnded(RunEntry run) {
        runsFinished.get(run.status()).increment();
        if (run.roundStartedAt() == null) {
            return; // cancelled while it waited QUEUED: it never ran
        }
        // a series per DAG up to a bound: 10,000 scheduled DAGs must not make 10,000 histograms
        String dag = runDurationByDag.containsKey(run.dag()) || runDurationByDag.size() < MAX_DAG_SERIES
                ? run.dag()
                : OTHER_DAGS;
        runDurationByDag
                .computeIfAbsent(
                        dag,
                        d -> timer("dagctl.run.duration", "From a run's (or its retry's) start to its end, by DAG")
                                .tag("dag", d)
                                .register(registry))
                .record(Duration.between(run.roundStartedAt(), run.endedAt()));
    }

    @Override
    public void taskDispatched(RunEntry run, TaskEntry task) {
        dispatched.increment();
    }

    @Override
    public void taskStarted(TaskEntry task, Duration dispatchLatency) {
        started.increment();
        this.dispatchLatency.record(dispatchLatency);
    }

    @Override
    public void attemptEnded(RunEntry run, TaskEntry task, AttemptEnd end, Instant at) {
        attempts.get(end).increment();
        Counter lostReason = lost.get(end);
        if (lostReason != null) {
            lostReason.increment();
        }
        if (task.current().startedAt() != null && task.current().endedAt() != null && end != AttemptEnd.LOST) {
            taskDurationByDag
                    .computeIfAbsent(
                            run.dag(),
                            dag -> timer("dagctl.task.duration", "How long task attempts ran on a worker, by DAG")
                                    .tag("dag", dag)
                                    .register(registry))
                    .record(Duration.between(
                            task.current().startedAt(), task.current().endedAt()));
        }
    }

    @Override
    public void taskEnded(RunEntry run, TaskEntry task) {
        tasksFinished.get(task.status()).increment();
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
        deadLettersByTopic
                .computeIfAbsent(
                        sourceTopic,
                        topic -> Counter.builder("dagctl.dlq.records")
                                .description("Records that could not be read, sent to the dead-letter topic")
                                .tag("source_topic", topic)
                                .register(registry))
                .increment();
    }

    @Override
    public void scheduleTick(String outcome, Duration lag) {
        scheduleCounter(outcome).increment();
        if (outcome.equals("fired") || outcome.equals("caught_up")) {
            scheduleLag.record(lag);
        }
    }

    @Override
    public void scheduledRunStarted(Duration sinceTick) {
        scheduleStartLag.record(sinceTick);
    }

    @Override
    public void scheduleTicksMissed(int count) {
        scheduleCounter("missed").increment(count);
    }

    private Counter scheduleCounter(String outcome) {
        return scheduleTicks.computeIfAbsent(
                outcome,
                o -> Counter.builder("dagctl.schedule.ticks")
                        .description(
                                "Schedule ticks handled: fired, caught_up, missed, skipped_overlap, queued, failed")
                        .tag("outcome", o)
                        .register(registry));
    }

    private static String label(Object value) {
        return value.toString().toLowerCase(Locale.ROOT);
    }
}
