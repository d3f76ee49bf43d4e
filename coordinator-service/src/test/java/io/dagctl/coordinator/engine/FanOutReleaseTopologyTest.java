package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A fan-out wider than one transaction's release batch (3 here) is released batch by batch, one per timer tick. */
class FanOutReleaseTopologyTest extends TopologyTestBase {

    private static final Duration TICK = Duration.ofMillis(100);

    @Override
    protected CoordinatorConfig config(Path stateDir) {
        return super.config(stateDir)
                .withLimits(new CoordinatorConfig.Limits(3, CoordinatorConfig.Limits.DEFAULT_NOT_STARTED_LIMIT));
    }

    private static String fanOut(int width) {
        StringBuilder yaml = new StringBuilder("name: wide\ntasks:\n  - {name: root, command: \"true\"}\n");
        for (int i = 0; i < width; i++) {
            yaml.append("  - {name: t").append(i).append(", command: \"true\", dependencies: [root]}\n");
        }
        yaml.append("  - {name: join, type: noop, dependencies: [");
        for (int i = 0; i < width; i++) {
            yaml.append(i == 0 ? "" : ", ").append('t').append(i);
        }
        return yaml.append("]}\n").toString();
    }

    private List<String> names(List<TaskDispatched> dispatched) {
        return dispatched.stream().map(TaskDispatched::task).toList();
    }

    @Test
    void aWideFanOutIsReleasedInBatchesAndTheRunStillEndsOnce() throws Exception {
        submit("w1", fanOut(7));
        succeed(dispatched().get(0));
        assertEquals(List.of("t0", "t1", "t2"), names(dispatched()), "the first batch goes with the root's result");
        assertEquals(3, task("w1", "root").graph().released());
        assertEquals(TaskStatus.PENDING, task("w1", "t3").status());

        advance(TICK);
        assertEquals(List.of("t3", "t4", "t5"), names(dispatched()));
        advance(TICK);
        List<TaskDispatched> last = dispatched();
        assertEquals(List.of("t6"), names(last));
        assertEquals(7, task("w1", "root").graph().released(), "the last batch records its end too");
        advance(TICK);
        assertTrue(dispatched().isEmpty(), "nothing is released twice");

        succeed(last.get(0));
        assertTrue(dispatched().isEmpty(), "the join waits for all seven");
        assertEquals(RunStatus.RUNNING, run("w1").status());
    }

    @Test
    void everyBatchEndsInTheJoinAndTheRun() throws Exception {
        submit("w2", fanOut(5));
        succeed(dispatched().get(0));
        List<TaskDispatched> all = new ArrayList<>(dispatched());
        advance(TICK);
        all.addAll(dispatched());
        assertEquals(List.of("t0", "t1", "t2", "t3", "t4"), names(all));
        all.forEach(this::succeed);
        List<TaskDispatched> join = dispatched();
        assertEquals(List.of("join"), names(join));
        report(
                join.get(0).runId(),
                TaskFinished.of(
                        join.get(0).attemptId(),
                        "w1",
                        0,
                        Outcome.SUCCEEDED,
                        "",
                        "",
                        clock.instant(),
                        clock.instant(),
                        null)); // a noop task reports no start
        assertEquals(RunStatus.SUCCESS, run("w2").status());
        assertEquals(7, run("w2").taskCount());
    }

    @Test
    void aCancelStopsTheRelease() throws Exception {
        submit("w3", fanOut(7));
        succeed(dispatched().get(0));
        assertEquals(3, dispatched().size());
        commands.pipeInput("w3", Events.toJson(RunCancelRequested.of("w3", clock.instant(), "test")));
        assertEquals(RunStatus.CANCELLING, run("w3").status(), "eight tasks to stop, three per transaction");
        for (int tick = 0; tick < 10 && run("w3").status() == RunStatus.CANCELLING; tick++) {
            advance(TICK);
        }
        assertEquals(RunStatus.CANCELLED, run("w3").status());
        assertTrue(dispatched().isEmpty(), "no task of a cancelled run is dispatched");
        assertEquals(TaskStatus.CANCELLED, task("w3", "t6").status());
        advance(TICK);
        advance(TICK);
        assertEquals(7, task("w3", "root").graph().released(), "the release still counts every dependent down");
    }
}
