package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import io.dagctl.coordinator.timer.TimerKind;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.event.TaskHeartbeat;
import io.dagctl.core.event.TaskStarted;
import io.dagctl.core.event.WorkerEvent;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.telemetry.TaskLogContext;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.time.Instant;

/**
 * Applies what workers report about attempts: started, heartbeat, finished. Only a report of a task's current attempt
 * is applied; any other is a zombie report, counted and dropped, and the worker that sent it is told to stop.
 */
final class AttemptReportHandler {

    private static final Logger LOG = System.getLogger(RunStateMachine.class.getName());

    private final RunWriter writer;
    private final AttemptEnds ends;
    private final RunStateStore store;
    private final RunObserver observer;
    private final Duration lease;
    private final Duration timeoutGrace;

    AttemptReportHandler(RunWriter writer, AttemptEnds ends) {
        this.writer = writer;
        this.ends = ends;
        this.store = writer.store();
        this.observer = writer.observer();
        this.lease = writer.timing().lease();
        this.timeoutGrace = writer.timing().timeoutGrace();
    }

    void apply(WorkerEvent event) {
        AttemptId id = event.attempt();
        TaskEntry task = store.task(id.runId(), id.task());
        if (task == null || !task.isCurrent(id)) {
            zombie(event, id, task);
            return;
        }
        Instant now = writer.now();
        if (event instanceof TaskStarted started) {
            started(task, started, now);
        } else if (event instanceof TaskHeartbeat) {
            if (task.status() == TaskStatus.RUNNING) {
                task.heartbeat(now.plus(lease));
                writer.update(task);
                observer.heartbeat(id);
            }
        } else if (event instanceof TaskFinished finished) {
            ends.finish(task, finished, now);
        }
    }

    private void started(TaskEntry task, TaskStarted started, Instant now) {
        if (task.status() == TaskStatus.RUNNING
                && !started.workerId().equals(task.current().workerId())) {
            // Kafka re-delivered the dispatch record (its first worker died): the attempt runs on another worker
            task.movedTo(started.workerId(), now.plus(lease));
            writer.save(task, now);
        } else if (task.status() == TaskStatus.QUEUED) {
            Duration latency =
                    AttemptEnds.nonNegative(Duration.between(task.current().queuedAt(), started.startedAt()));
            task.started(
                    started.workerId(),
                    started.startedAt(),
                    now.plus(lease),
                    now.plus(task.spec().timeout()).plus(timeoutGrace));
            writer.save(task, now);
            observer.taskStarted(task, latency);
            // one timer watches both the lease and the timeout: a short task then leaves one timer, not two
            writer.schedule(Timer.of(
                    TimerHandler.earlier(now.plus(lease), TimerHandler.timeoutDeadline(task, timeoutGrace)),
                    TimerKind.LEASE,
                    task.currentAttempt()));
        }
    }

    /** A report about the task could not be applied: the task fails with the reason (if it had not ended). */
    void faulted(WorkerEvent event, String reason) {
        AttemptId id = event.attempt();
        TaskEntry task = store.task(id.runId(), id.task());
        if (task != null) {
            ends.faulted(task, reason, writer.now());
        }
    }

    private void zombie(WorkerEvent event, AttemptId id, TaskEntry task) {
        observer.zombieReport(id);
        RunEntry run = store.run(id.runId());
        try (TaskLogContext ignored = TaskLogContext.of(id, event.workerId(), run == null ? null : run.traceparent())) {
            LOG.log(
                    Level.INFO,
                    "zombie report: dropped {0} for {1}: not the current attempt (task is {2}, attempt {3})",
                    event.getClass().getSimpleName(),
                    id,
                    task == null ? "unknown" : task.status(),
                    task == null ? 0 : task.attempt());
        }
        if (task != null && !(event instanceof TaskFinished)) {
            // a worker still runs an attempt that was superseded: tell it to stop
            writer.stop(
                    id,
                    writer.now(),
                    "attempt " + id.attempt() + " was superseded; the task is " + task.status() + " at attempt "
                            + task.attempt());
        }
    }
}
