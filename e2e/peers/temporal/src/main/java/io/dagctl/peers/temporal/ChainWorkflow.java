package io.dagctl.peers.temporal;

import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** {@code tasks} shell activities one after another. */
@WorkflowInterface
public interface ChainWorkflow {

    /**
     * Hops per workflow run. Each hop adds about 6 events to the history (activity scheduled/started/completed and
     * a workflow task), and Temporal caps a history at 51,200 events (and warns from 10,240), so, as a Temporal user
     * would, a longer chain continues as new every 1,000 hops; a chain of 1,000 or fewer is a single run.
     */
    int HOPS_PER_RUN = 1_000;

    @WorkflowMethod
    void run(int tasks, String command);

    final class Impl implements ChainWorkflow {
        private final Tasks tasks = Workflow.newActivityStub(Tasks.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(TemporalPeer.TASK_TIMEOUT)
                .setRetryOptions(TemporalPeer.NO_RETRIES)
                .build());

        @Override
        public void run(int count, String command) {
            int hops = Math.min(count, HOPS_PER_RUN);
            for (int i = 0; i < hops; i++) {
                tasks.shell(command);
            }
            if (count > hops) {
                Workflow.continueAsNew(count - hops, command);
            }
        }
    }
}
