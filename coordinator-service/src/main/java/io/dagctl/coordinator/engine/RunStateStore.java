package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import java.time.Instant;
import java.util.List;

/** The state the run state machine reads and writes; backed by Kafka Streams state stores in production. */
public interface RunStateStore {

    RunEntry run(String runId);

    void put(RunEntry run);

    TaskEntry task(String runId, String task);

    void put(TaskEntry task);

    /** Every task of a run, in declaration order. */
    List<TaskEntry> tasks(String runId);

    void schedule(Timer timer);

    /** Removes and returns every timer due at or before {@code now}, earliest first. */
    List<Timer> takeDue(Instant now);
}
