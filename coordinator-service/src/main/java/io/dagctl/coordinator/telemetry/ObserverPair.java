package io.dagctl.coordinator.telemetry;

import io.dagctl.coordinator.engine.RunEntry;
import io.dagctl.coordinator.engine.RunObserver;
import io.dagctl.coordinator.engine.TaskEntry;
import io.dagctl.core.model.AttemptId;
import java.time.Duration;
import java.time.Instant;

/** Metrics and traces behind one observer; trace contexts come from the tracer. */
public record ObserverPair(CoordinatorMetrics metrics, RunTracer tracer) implements RunObserver {

    @Override
    public String newRunTraceparent(String runId, String dag) {
        return tracer.newRunTraceparent(runId, dag);
    }

    @Override
    public String attemptTraceparent(RunEntry run, AttemptId attempt) {
        return tracer.attemptTraceparent(run, attempt);
    }

    @Override
    public void runStarted(RunEntry run) {
        metrics.runStarted(run);
    }

    @Override
    public void runEnded(RunEntry run) {
        metrics.runEnded(run);
        tracer.runEnded(run);
    }

    @Override
    public void taskDispatched(RunEntry run, TaskEntry task) {
        metrics.taskDispatched(run, task);
    }

    @Override
    public void taskStarted(TaskEntry task, Duration dispatchLatency) {
        metrics.taskStarted(task, dispatchLatency);
    }

    @Override
    public void attemptEnded(RunEntry run, TaskEntry task, AttemptEnd end, Instant at) {
        metrics.attemptEnded(run, task, end, at);
        tracer.attemptEnded(run, task, end, at);
    }

    @Override
    public void taskEnded(RunEntry run, TaskEntry task) {
        metrics.taskEnded(run, task);
    }

    @Override
    public void retryScheduled(RunEntry run, TaskEntry task, Duration backoff) {
        metrics.retryScheduled(run, task, backoff);
    }

    @Override
    public void heartbeat(AttemptId attempt) {
        metrics.heartbeat(attempt);
    }

    @Override
    public void zombieReport(AttemptId attempt) {
        metrics.zombieReport(attempt);
    }

    @Override
    public void deadLetter(String sourceTopic) {
        metrics.deadLetter(sourceTopic);
    }

    @Override
    public void scheduleTick(String outcome, Duration lag) {
        metrics.scheduleTick(outcome, lag);
    }

    @Override
    public void scheduleTicksMissed(int count) {
        metrics.scheduleTicksMissed(count);
    }

    @Override
    public void scheduledRunStarted(Duration sinceTick) {
        metrics.scheduledRunStarted(sinceTick);
    }
}
