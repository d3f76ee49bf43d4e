package io.dagctl.coordinator.engine;

import io.dagctl.core.event.DagCommand;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RunEvent;
import io.dagctl.core.event.TaskCancelRequested;
import io.dagctl.core.event.TaskDispatched;

/**
 * What the state machine sends out; written in the same transaction as the state change that caused it. The forms
 * with {@code json} take the record already written as JSON (and checked for size) by {@link WorkUnit}.
 */
public interface RunOutput {

    default void dispatch(TaskDispatched dispatched) {
        dispatch(dispatched, Events.toJson(dispatched));
    }

    void dispatch(TaskDispatched dispatched, byte[] json);

    default void event(RunEvent event) {
        event(event, Events.toJson(event));
    }

    void event(RunEvent event, byte[] json);

    default void cancel(TaskCancelRequested cancel) {
        cancel(cancel, Events.toJson(cancel));
    }

    void cancel(TaskCancelRequested cancel, byte[] json);

    default void tellDagOwner(DagCommand command) {
        tellDagOwner(command, Events.toJson(command));
    }

    /**
     * What a stored DAG's owner must know of one of its runs (it ended, it runs again): on the DAGs topic, keyed by the
     * DAG's name.
     */
    void tellDagOwner(DagCommand command, byte[] json);

    /**
     * A record (or a due timer) that could not be applied, for operators: {@code source} names its topic (or
     * {@code timer}), {@code value} is what it held. Written at once, whatever happens to the rest of its transaction.
     */
    void deadLetter(String key, byte[] value, String source, String reason);
}
