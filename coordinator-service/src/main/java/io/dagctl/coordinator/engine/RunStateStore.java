package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.timer.Timer;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** The state the run state machine reads and writes; backed by Kafka Streams state stores in production. */
public interface RunStateStore {

    /** Tasks in declaration order, each mapped task's instances after it in list order. */
    Comparator<TaskEntry> DECLARATION_ORDER = Comparator.comparingInt(TaskEntry::index)
            .thenComparingInt(t -> t.mapping().position());

    RunEntry run(String runId);

    void put(RunEntry run);

    /** Stores a run entry already written as JSON (and checked for size) by {@link WorkUnit}. */
    default void put(RunEntry run, byte[] json) {
        put(run);
    }

    TaskEntry task(String runId, String task);

    void put(TaskEntry task);

    /** Stores a task entry already written as JSON (and checked for size) by {@link WorkUnit}. */
    default void put(TaskEntry task, byte[] json) {
        put(task);
    }

    /** Every task of a run, in declaration order. */
    List<TaskEntry> tasks(String runId);

    /** At most {@code limit} tasks of a run whose names sort after {@code after} (null: from the first), by name. */
    List<TaskEntry> tasksAfter(String runId, String after, int limit);

    /** The name of the run's first task after {@code after} (null: from the first), read from its key alone. */
    String nextTaskName(String runId, String after);

    void schedule(Timer timer);

    /** Keeps a task that waits for a place among its run's {@code max_active_tasks}, in the order they are let go. */
    void hold(TaskEntry task);

    /** Forgets a held task: it is being dispatched, or it ended while it waited. */
    void unhold(TaskEntry task);

    /**
     * The names of at most {@code limit} held tasks of a run, the first to let go first, from held key {@code from}
     * (null: the first).
     */
    List<String> held(String runId, String from, int limit);

    /** Everything of one unit of work was written: what the store gathered meanwhile (task counts) is written too. */
    default void unitApplied() {}

    /** Removes and returns at most {@code limit} timers due at or before {@code now}, earliest first. */
    List<Timer> takeDue(Instant now, int limit);
}
