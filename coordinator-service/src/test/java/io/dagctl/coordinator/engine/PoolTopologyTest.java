package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.PoolSet;
import io.dagctl.core.event.RunCancelRequested;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskStarted;
import io.dagctl.core.model.Pools;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster-wide pools: tasks of any run take a pool's slots through its owner, by command, and give them back when their
 * attempt ends; the pool never gives out more than it has.
 */
class PoolTopologyTest extends TopologyTestBase {

    private TestInputTopic<String, byte[]> dags;

    @BeforeEach
    void dagsTopic() {
        dags = driver.createInputTopic(TOPICS.dags(), new StringSerializer(), new ByteArraySerializer());
    }

    private void setPool(String name, int slots) {
        dags.pipeInput(Pools.key(name), Events.toJson(PoolSet.of(name, slots, "set-" + name + slots, clock.instant())));
    }

    private PoolEntry pool(String name) {
        KeyValueStore<String, byte[]> store = driver.getKeyValueStore(StoreNames.POOLS);
        byte[] json = store.get(name);
        return json == null ? null : Events.fromJson(json, PoolEntry.class);
    }

    /** A run of {@code tasks} independent tasks on pool {@code pool}. */
    private void submitOnPool(String runId, int tasks, String pool, String extra) throws Exception {
        StringBuilder yaml = new StringBuilder("name: p\n" + extra + "tasks:\n");
        for (int i = 0; i < tasks; i++) {
            yaml.append("  - {name: t")
                    .append(i)
                    .append(", command: 'true', pool: ")
                    .append(pool);
            yaml.append(", max_retries: 1, retry_delay: 2s}\n");
        }
        submit(runId, yaml.toString());
    }

    @Test
    void tasksOfSeveralRunsShareThePoolAndTheNextStartsAsOneEnds() throws Exception {
        setPool("db", 2);
        submitOnPool("a", 3, "db", "");
        submitOnPool("b", 3, "db", "");
        List<TaskDispatched> first = dispatched();
        assertEquals(List.of("a/t0/1", "a/t1/1"), ids(first), "two slots: the first two requests");
        assertEquals(2, pool("db").inUse());
        assertEquals(4, pool("db").waiting());
        assertEquals(TaskStatus.PENDING, task("b", "t0").status());
        assertEquals("a slot of pool 'db'", task("b", "t0").toReport().waitingFor());

        succeed(first.get(0));
        assertEquals(List.of("a/t2/1"), ids(dispatched()), "one slot freed: the next in line, whichever run");
        succeed(first.get(1));
        List<TaskDispatched> fromB = dispatched();
        assertEquals(List.of("b/t0/1"), ids(fromB));
        assertEquals(2, pool("db").inUse());
        assertEquals(2, pool("db").waiting());
    }

    @Test
    void aPoolNoOneSetHoldsItsTasksUntilItIsSetAndAGrowingPoolLetsMoreGo() throws Exception {
        submitOnPool("u", 3, "later", "");
        assertEquals(List.of(), dispatched());
        assertNull(pool("later").slots());
        assertEquals(3, pool("later").waiting());
        setPool("later", 1);
        assertEquals(List.of("u/t0/1"), ids(dispatched()));
        setPool("later", 3);
        assertEquals(List.of("u/t1/1", "u/t2/1"), ids(dispatched()));
        assertEquals(3, pool("later").inUse());
    }

    @Test
    void aShrunkPoolLetsRunningTasksFinishAndStartsNothingUntilItIsUnderItsSize() throws Exception {
        setPool("s", 3);
        submitOnPool("k", 5, "s", "");
        List<TaskDispatched> running = dispatched();
        assertEquals(3, running.size());
        setPool("s", 1);
        succeed(running.get(0));
        succeed(running.get(1));
        assertEquals(List.of(), dispatched(), "still one in use of one");
        succeed(running.get(2));
        assertEquals(List.of("k/t3/1"), ids(dispatched()));
        assertEquals(1, pool("s").inUse());
    }

    @Test
    void aFailedAttemptGivesItsSlotBackDuringItsBackoffAndAsksAgainAfterIt() throws Exception {
        setPool("one", 1);
        submitOnPool("f", 2, "one", "");
        List<TaskDispatched> first = dispatched();
        assertEquals(List.of("f/t0/1"), ids(first));
        fail(first.get(0));
        assertEquals(TaskStatus.RETRYING, task("f", "t0").status());
        assertEquals(List.of("f/t1/1"), ids(dispatched()), "the slot went to the next in line during the backoff");
        for (int s = 0; s < 3; s++) {
            advance(Duration.ofSeconds(1));
        }
        assertEquals(List.of(), dispatched(), "the retry waits for the slot like any other");
        assertEquals("a slot of pool 'one'", task("f", "t0").toReport().waitingFor());
        succeed(dispatchedBefore("f/t1/1"));
        assertEquals(List.of("f/t0/2"), ids(dispatched()));
    }

    @Test
    void aLostAttemptKeepsItsTasksSlotForItsNewAttempt() throws Exception {
        setPool("l", 1);
        submitOnPool("lost", 2, "l", "");
        TaskDispatched first = dispatched().get(0);
        report("lost", TaskStarted.of(first.attemptId(), "w1", clock.instant()));
        for (int s = 0; s < 12; s++) {
            advance(Duration.ofSeconds(1));
        }
        assertEquals(List.of("lost/t0/2"), ids(dispatched()), "queued again, the other task still waits");
        assertEquals(1, pool("l").inUse());
        assertEquals(1, pool("l").waiting());
    }

    @Test
    void aCancelledRunGivesBackItsSlotsAndLeavesTheLine() throws Exception {
        setPool("c", 1);
        submitOnPool("c1", 3, "c", "");
        submitOnPool("c2", 1, "c", "");
        assertEquals(1, dispatched().size());
        commands.pipeInput("c1", Events.toJson(RunCancelRequested.of("c1", clock.instant(), "enough")));
        assertEquals(RunStatus.CANCELLED, run("c1").status());
        assertEquals(List.of("c2/t0/1"), ids(dispatched()));
        assertEquals(1, pool("c").inUse());
        assertEquals(0, pool("c").waiting(), "the cancelled run's waiting tasks left the line");
    }

    @Test
    void aHeavyTaskTakesItsSlotsAndAClaimLargerThanThePoolWaitsWithoutBlockingOthers() throws Exception {
        setPool("h", 3);
        submit(
                "heavy",
                "name: h\ntasks:\n  - {name: big, command: 'true', pool: h, pool_slots: 2}\n"
                        + "  - {name: huge, command: 'true', pool: h, pool_slots: 5}\n"
                        + "  - {name: big2, command: 'true', pool: h, pool_slots: 2}\n"
                        + "  - {name: small, command: 'true', pool: h}\n");
        List<TaskDispatched> first = dispatched();
        assertEquals(List.of("heavy/big/1"), ids(first), "big2 does not fit beside big, and small waits behind it");
        succeed(first.get(0));
        assertEquals(List.of("heavy/big2/1", "heavy/small/1"), ids(dispatched()));
        assertEquals(TaskStatus.PENDING, task("heavy", "huge").status());
        setPool("h", 5);
        assertEquals(List.of(), dispatched(), "5 slots, 3 in use: huge waits for all five");
    }

    @Test
    void aRunsTaskLimitCountsTasksWaitingForThePool() throws Exception {
        setPool("wide", 10);
        submitOnPool("lim", 4, "wide", "max_active_tasks: 2\n");
        List<TaskDispatched> first = dispatched();
        assertEquals(2, first.size(), "the run's limit holds whatever the pool has");
        succeed(first.get(0));
        assertEquals(1, dispatched().size());
        assertEquals(2, pool("wide").inUse());
    }

    private final List<TaskDispatched> seen = new ArrayList<>();

    private List<String> ids(List<TaskDispatched> sent) {
        seen.addAll(sent);
        return sent.stream().map(TaskDispatched::attemptId).toList();
    }

    private TaskDispatched dispatchedBefore(String attemptId) {
        return seen.stream()
                .filter(d -> d.attemptId().equals(attemptId))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aTaskWaitingForItsPoolIsNotDecidedAgainByALaterUpstreamEnd() throws Exception {
        submit(
                "once",
                "name: o\nmax_active_tasks: 5\ntasks:\n  - {name: a, command: 'true'}\n  - {name: b, command: 'true'}\n"
                        + "  - {name: c, command: 'true', pool: later, trigger_rule: one_success,"
                        + " dependencies: [a, b]}\n");
        List<TaskDispatched> roots = dispatched();
        succeed(roots.get(0)); // c is ready: it asks for the pool, which has no size yet
        assertEquals("a slot of pool 'later'", task("once", "c").toReport().waitingFor());
        succeed(roots.get(1)); // its other upstream ends: c is not decided (nor held) again
        assertEquals(0, run("once").limit().heldTasks());
        assertEquals(1, pool("later").waiting(), "one claim, not two");
        setPool("later", 1);
        assertEquals(List.of("once/c/1"), ids(dispatched()));
        succeed(seen.get(seen.size() - 1));
        assertEquals(RunStatus.SUCCESS, run("once").status());
        assertEquals(0, pool("later").inUse());
    }

    @Test
    void aRetriedRunsTasksAskForTheirPoolAgainWithANewClaim() throws Exception {
        setPool("r", 1);
        submitOnPool("again", 2, "r", "");
        commands.pipeInput("again", Events.toJson(RunCancelRequested.of("again", clock.instant(), "stop")));
        assertEquals(RunStatus.CANCELLED, run("again").status());
        assertEquals(0, pool("r").inUse());
        dispatched();
        commands.pipeInput(
                "again", Events.toJson(io.dagctl.core.event.TaskRetryRequested.of("again", clock.instant())));
        List<TaskDispatched> retried = dispatched();
        assertEquals(List.of("again/t0/2"), ids(retried), "one slot: one task at a time again");
        assertEquals(1, pool("r").waiting());
        succeed(retried.get(0));
        assertEquals(List.of("again/t1/1"), ids(dispatched()), "its first attempt: it never had one");
    }
}
