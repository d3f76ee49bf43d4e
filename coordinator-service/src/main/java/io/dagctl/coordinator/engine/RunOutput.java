package io.dagctl.coordinator.engine;

import io.dagctl.core.event.RunEvent;
import io.dagctl.core.event.TaskCancelRequested;
import io.dagctl.core.event.TaskDispatched;

/** What the state machine sends out; written in the same transaction as the state change that caused it. */
public interface RunOutput {

    void dispatch(TaskDispatched dispatched);

    void event(RunEvent event);

    void cancel(TaskCancelRequested cancel);
}
