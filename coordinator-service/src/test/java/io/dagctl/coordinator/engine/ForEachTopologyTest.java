package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.event.TaskStarted;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** for_each on the real topology: instances per item, their ends counted by the mapped task, outputs as lists. */
class ForEachTopologyTest extends TopologyTestBase {

    private static List<String> names(List<TaskDispatched> dispatched) {
        return dispatched.stream().map(TaskDispatched::task).toList();
    }

    @Test
    void aLiteralListGivesOneInstancePerItemAndTheirOutputsBecomeLists() throws Exception {
        submit("r", """
                name: map
                tasks:
                  - name: shard
                    for_each: [eu, us, {region: ap, size: 3}]
                    command: echo {{ item | quote }} {{ task.index }}
                  - name: merge
                    dependencies: [shard]
                    command: echo {{ tasks.shard.outputs.n | json | quote }}
                """);
        List<TaskDispatched> instances = dispatched();
        assertEquals(List.of("shard[0]", "shard[1]", "shard[2]"), names(instances));
        assertEquals("echo 'eu' 0", instances.get(0).command());
        assertEquals("us", instances.get(1).env().get("DAGCTL_ITEM"));
        assertEquals("{\"region\":\"ap\",\"size\":3}", instances.get(2).env().get("DAGCTL_ITEM"));
        assertEquals(TaskStatus.RUNNING, task("r", "shard").status());
        assertEquals(List.of(), task("r", "shard").spec().forEach(), "the literal list leaves the entry once used");
        assertEquals(5, run("r").taskCount(), "each instance is a task of the run");
        succeed(instances.get(2), Map.of("n", 30));
        succeed(instances.get(0), Map.of("n", 10));
        assertEquals(List.of(), dispatched(), "the merge waits for every instance");
        succeed(instances.get(1), Map.of("n", 20));
        assertEquals(TaskStatus.SUCCESS, task("r", "shard").status());
        List<TaskDispatched> merge = dispatched();
        assertEquals("echo '[10,20,30]'", merge.get(0).command(), "outputs in list order, not in the order of ends");
        succeed(merge.get(0));
        assertEquals(RunStatus.SUCCESS, run("r").status());
        assertEquals(5, run("r").taskCount());
    }

    @Test
    void aListFromAnUpstreamOutputAndAnEmptyOneThatSkips() throws Exception {
        submit("r", """
                name: map
                tasks:
                  - {name: ls, command: "true"}
                  - {name: each, dependencies: [ls], for_each: "{{ tasks.ls.outputs.files }}", command: "cat {{ item }}"}
                  - {name: each_text, dependencies: [ls], for_each: "{{ tasks.ls.outputs.text }}", command: "true"}
                  - {name: none, dependencies: [ls], for_each: "{{ tasks.ls.outputs.empty }}", command: "true"}
                  - {name: after_none, dependencies: [none], command: "true"}
                """);
        succeed(dispatched().get(0), Map.of("files", List.of("a", "b"), "text", "[1, 2, 3]", "empty", List.of()));
        List<String> next = names(dispatched());
        assertEquals(
                List.of("each[0]", "each[1]", "each_text[0]", "each_text[1]", "each_text[2]"),
                next.stream().sorted().toList());
        assertEquals(TaskStatus.SKIPPED, task("r", "none").status());
        assertEquals("for_each gave an empty list", task("r", "none").current().error());
        assertEquals(TaskStatus.SKIPPED, task("r", "after_none").status());
    }

    @Test
    void aListPastMaxInstancesOrNotAListFailsTheTaskNamingWhy() throws Exception {
        submit("r", """
                name: map
                tasks:
                  - {name: ls, command: "true"}
                  - {name: big, dependencies: [ls], for_each: "{{ tasks.ls.outputs.files }}", max_instances: 2, command: "true"}
                  - {name: odd, dependencies: [ls], for_each: "{{ tasks.ls.outputs.count }}", command: "true"}
                """);
        succeed(dispatched().get(0), Map.of("files", List.of("a", "b", "c"), "count", 3));
        assertEquals(List.of(), dispatched());
        assertEquals(TaskStatus.FAILED, task("r", "big").status());
        assertEquals(
                "for_each gave 3 items; max_instances is 2 (at most 100000)",
                task("r", "big").current().error());
        assertTrue(
                task("r", "odd").current().error().contains("it gave 3, not a list"),
                task("r", "odd").current().error());
        assertEquals(RunStatus.FAILED, run("r").status());
    }

    @Test
    void aFailedInstanceFailsTheMappedTaskAndARetryRunsOnlyTheInstancesThatDidNotSucceed() throws Exception {
        submit("r", """
                name: map
                tasks:
                  - {name: each, for_each: [1, 2, 3], command: "true"}
                  - {name: after, dependencies: [each], command: "true"}
                """);
        List<TaskDispatched> instances = dispatched();
        succeed(instances.get(0));
        fail(instances.get(1));
        succeed(instances.get(2));
        TaskEntry each = task("r", "each");
        assertEquals(TaskStatus.FAILED, each.status());
        assertEquals("1 of 3 instances did not succeed", each.current().error());
        assertEquals(TaskStatus.UPSTREAM_FAILED, task("r", "after").status());
        assertEquals(RunStatus.FAILED, run("r").status());

        commands.pipeInput("r", Events.toJson(TaskRetryRequested.of("r", clock.instant())));
        advance(Duration.ofSeconds(1));
        List<TaskDispatched> again = dispatched();
        assertEquals(List.of("each[1]"), names(again));
        assertEquals(2, again.get(0).attempt(), "attempt numbers go on");
        succeed(again.get(0));
        assertEquals(TaskStatus.SUCCESS, task("r", "each").status());
        succeed(dispatched().get(0));
        assertEquals(RunStatus.SUCCESS, run("r").status());
    }

    @Test
    void triggerRulesCountTheInstancesOfAMappedTask() throws Exception {
        submit("r", """
                name: map
                tasks:
                  - {name: each, for_each: [1, 2, 3], command: "true"}
                  - {name: one_ok, dependencies: [each], trigger_rule: one_success, command: "true"}
                  - {name: all_bad, dependencies: [each], trigger_rule: all_failed, command: "true"}
                  - {name: strict, dependencies: [each], command: "true"}
                  - {name: done, dependencies: [each], trigger_rule: all_done, command: "true"}
                  - {name: any_bad, dependencies: [each], trigger_rule: one_failed, command: "true"}
                  - {name: clean, dependencies: [each], trigger_rule: none_failed, command: "true"}
                """);
        List<TaskDispatched> instances = dispatched();
        succeed(instances.get(0));
        fail(instances.get(1));
        succeed(instances.get(2));
        assertEquals(
                List.of("any_bad", "done", "one_ok"),
                names(dispatched()).stream().sorted().toList(),
                "one_success runs: two of the three instances succeeded");
        assertEquals(TaskStatus.SKIPPED, task("r", "all_bad").status());
        assertEquals(TaskStatus.UPSTREAM_FAILED, task("r", "strict").status());
        assertEquals(TaskStatus.UPSTREAM_FAILED, task("r", "clean").status());
        assertTrue(
                task("r", "strict").current().error().contains("(of 3 upstream: 2 succeeded, 1 failed, 0 skipped)"),
                task("r", "strict").current().error());
    }

    @Test
    void allFailedRunsWhenEveryInstanceFailedAndARetryCountsOnlyWhatRanAgain() throws Exception {
        submit("r", """
                name: map
                tasks:
                  - {name: each, for_each: [1, 2], command: "true"}
                  - {name: all_bad, dependencies: [each], trigger_rule: all_failed, command: "true"}
                  - {name: strict, dependencies: [each], command: "true"}
                """);
        dispatched().forEach(this::fail);
        List<TaskDispatched> next = dispatched();
        assertEquals(List.of("all_bad"), names(next));
        succeed(next.get(0));
        assertEquals(RunStatus.FAILED, run("r").status());

        commands.pipeInput("r", Events.toJson(TaskRetryRequested.of("r", clock.instant())));
        advance(Duration.ofSeconds(1));
        List<TaskDispatched> again = dispatched();
        assertEquals(
                List.of("each[0]", "each[1]"), names(again).stream().sorted().toList());
        again.forEach(this::succeed);
        List<TaskDispatched> after = dispatched();
        assertEquals(List.of("strict"), names(after), "all_bad ran and stays done");
        assertTrue(task("r", "strict").status() == TaskStatus.QUEUED);
        succeed(after.get(0));
        assertEquals(RunStatus.SUCCESS, run("r").status());
    }

    @Test
    void aCancelStopsTheInstancesAndTheRunEnds() throws Exception {
        submit("r", """
                name: map
                tasks:
                  - {name: each, for_each: [1, 2], command: "sleep 100"}
                """);
        List<TaskDispatched> instances = dispatched();
        report("r", TaskStarted.of(instances.get(0).attemptId(), "w1", clock.instant()));
        commands.pipeInput(
                "r", Events.toJson(io.dagctl.core.event.RunCancelRequested.of("r", clock.instant(), "enough")));
        advance(Duration.ofSeconds(1));
        assertEquals(RunStatus.CANCELLED, run("r").status());
        assertEquals(TaskStatus.CANCELLED, task("r", "each").status());
        assertEquals(TaskStatus.CANCELLED, task("r", "each[0]").status());
        List<String> stopped = new ArrayList<>();
        control.readValuesToList().forEach(v -> stopped.add(new String(v)));
        assertEquals(2, stopped.size(), "a stop for each instance, none for the mapped task: " + stopped);
    }
}
