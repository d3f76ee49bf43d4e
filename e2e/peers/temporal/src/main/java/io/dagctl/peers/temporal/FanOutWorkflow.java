package io.dagctl.peers.temporal;

import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code count} independent activities, all scheduled at once, waited for together.
 *
 * <p>The peer splits a big fan-out into workflows of at most {@link #MAX_PER_WORKFLOW} activities started together
 * (10,000 tasks = 10 workflows). One workflow with 10,000 activities in flight is not something a Temporal user can
 * run: the server refuses more than 2,000 pending activities per workflow (limit.numPendingActivities.error) and
 * every workflow task of such a workflow replays/handles an ever longer history. Several workflows of 1,000 keep
 * each one well inside those limits while every task is ready from the start, as in dagctl's fan-out.
 */
@WorkflowInterface
public interface FanOutWorkflow {

    int MAX_PER_WORKFLOW = 1_000;

    /** @param kind "shell", "noop" or "noop-local" */
    @WorkflowMethod
    void run(String kind, int count, String command);

    final class Impl implements FanOutWorkflow {
        private final Tasks tasks = Workflow.newActivityStub(Tasks.class, ActivityOptions.newBuilder()
                .setStartToCloseTimeout(TemporalPeer.TASK_TIMEOUT)
                .setRetryOptions(TemporalPeer.NO_RETRIES)
                .build());
        private final Tasks localTasks = Workflow.newLocalActivityStub(Tasks.class, LocalActivityOptions.newBuilder()
                .setStartToCloseTimeout(TemporalPeer.TASK_TIMEOUT)
                .setRetryOptions(TemporalPeer.NO_RETRIES)
                .build());

        @Override
        public void run(String kind, int count, String command) {
            List<Promise<Void>> all = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                switch (kind) {
                    case "shell" -> all.add(Async.procedure(tasks::shell, command));
                    case "noop" -> all.add(Async.procedure(tasks::noop));
                    case "noop-local" -> all.add(Async.procedure(localTasks::noop));
                    default -> throw ApplicationFailure.newNonRetryableFailure("unknown kind " + kind, "BadKind");
                }
            }
            Promise.allOf(all).get();
        }
    }
}
