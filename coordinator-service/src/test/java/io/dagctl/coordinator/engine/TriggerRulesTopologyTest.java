package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskRetryRequested;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every cell of the README's table of trigger rules, on the real topology: two upstream tasks end SUCCESS (S), FAILED
 * (F) or SKIPPED (K, by a false condition), and the task after them runs, is skipped or is upstream-failed.
 */
class TriggerRulesTopologyTest extends TopologyTestBase {

    private static final String RUN = "RUN";

    static Stream<Arguments> table() {
        return Stream.of(
                row("all_success", "SS", RUN),
                row("all_success", "SF", "UPSTREAM_FAILED"),
                row("all_success", "SK", "SKIPPED"),
                row("all_success", "FF", "UPSTREAM_FAILED"),
                row("all_success", "FK", "UPSTREAM_FAILED"),
                row("all_success", "KK", "SKIPPED"),
                row("all_done", "SS", RUN),
                row("all_done", "SF", RUN),
                row("all_done", "SK", RUN),
                row("all_done", "FF", RUN),
                row("all_done", "FK", RUN),
                row("all_done", "KK", RUN),
                row("all_failed", "SS", "SKIPPED"),
                row("all_failed", "SF", "SKIPPED"),
                row("all_failed", "SK", "SKIPPED"),
                row("all_failed", "FF", RUN),
                row("all_failed", "FK", "SKIPPED"),
                row("all_failed", "KK", "SKIPPED"),
                row("one_success", "SS", RUN),
                row("one_success", "SF", RUN),
                row("one_success", "SK", RUN),
                row("one_success", "FF", "UPSTREAM_FAILED"),
                row("one_success", "FK", "UPSTREAM_FAILED"),
                row("one_success", "KK", "SKIPPED"),
                row("one_failed", "SS", "SKIPPED"),
                row("one_failed", "SF", RUN),
                row("one_failed", "SK", "SKIPPED"),
                row("one_failed", "FF", RUN),
                row("one_failed", "FK", RUN),
                row("one_failed", "KK", "SKIPPED"),
                row("none_failed", "SS", RUN),
                row("none_failed", "SF", "UPSTREAM_FAILED"),
                row("none_failed", "SK", RUN),
                row("none_failed", "FF", "UPSTREAM_FAILED"),
                row("none_failed", "FK", "UPSTREAM_FAILED"),
                row("none_failed", "KK", RUN),
                row("none_failed_min_one_success", "SS", RUN),
                row("none_failed_min_one_success", "SF", "UPSTREAM_FAILED"),
                row("none_failed_min_one_success", "SK", RUN),
                row("none_failed_min_one_success", "FF", "UPSTREAM_FAILED"),
                row("none_failed_min_one_success", "FK", "UPSTREAM_FAILED"),
                row("none_failed_min_one_success", "KK", "SKIPPED"),
                row("always", "SS", RUN),
                row("always", "SF", RUN),
                row("always", "SK", RUN),
                row("always", "FF", RUN),
                row("always", "FK", RUN),
                row("always", "KK", RUN));
    }

    private static Arguments row(String rule, String upstream, String expected) {
        return Arguments.of(rule, upstream, expected);
    }

    @ParameterizedTest(name = "{0} after {1}: {2}")
    @MethodSource("table")
    void eachRuleDecidesAsTheTableSays(String rule, String upstream, String expected) throws Exception {
        submit("r", dag(rule, upstream.charAt(0), upstream.charAt(1)));
        for (TaskDispatched d : dispatched()) {
            if (d.task().equals("c")) {
                succeed(d); // always starts at once
            } else {
                end(d, upstream.charAt(d.task().equals("a") ? 0 : 1));
            }
        }
        for (TaskDispatched d : dispatched()) {
            assertEquals("c", d.task());
            succeed(d);
        }
        TaskEntry c = task("r", "c");
        assertEquals(
                expected.equals(RUN) ? TaskStatus.SUCCESS : TaskStatus.valueOf(expected),
                c.status(),
                c.current().error());
        boolean failed = upstream.contains("F") || c.status() == TaskStatus.UPSTREAM_FAILED;
        assertEquals(failed ? RunStatus.FAILED : RunStatus.SUCCESS, run("r").status(), "SKIPPED is not a failure");
    }

    /** a and b end as told (K: skipped by a false condition), c depends on both with the rule. */
    private static String dag(String rule, char a, char b) {
        return """
                name: rules
                tasks:
                  - name: a
                    command: "true"
                    %s
                  - name: b
                    command: "true"
                    %s
                  - name: c
                    dependencies: [a, b]
                    trigger_rule: %s
                    command: "true"
                """.formatted(a == 'K' ? "when: 'false'" : "", b == 'K' ? "when: 'false'" : "", rule);
    }

    private void end(TaskDispatched d, char how) {
        if (how == 'F') {
            fail(d);
        } else {
            succeed(d);
        }
    }

    @Test
    void rulesDecideAsSoonAsTheFirstUpstreamSettlesThem() throws Exception {
        submit("r", """
                name: early
                tasks:
                  - {name: a, command: "true"}
                  - {name: b, command: "sleep 100"}
                  - {name: first_ok, dependencies: [a, b], trigger_rule: one_success, command: "true"}
                  - {name: strict, dependencies: [a, b], command: "true"}
                """);
        List<TaskDispatched> roots = dispatched();
        succeed(roots.get(0));
        assertEquals(
                List.of("first_ok"),
                dispatched().stream().map(TaskDispatched::task).toList(),
                "b still runs");
        assertEquals(TaskStatus.PENDING, task("r", "strict").status());
        fail(roots.get(1));
        assertEquals(TaskStatus.UPSTREAM_FAILED, task("r", "strict").status());
        assertTrue(
                task("r", "strict").current().error().contains("upstream task 'b' ended FAILED"),
                task("r", "strict").current().error());
    }

    @Test
    void aJoinAfterABranchRunsWithNoneFailedMinOneSuccessAndIsSkippedWithAllSuccess() throws Exception {
        submit("r", """
                name: branch
                tasks:
                  - {name: pick, command: "true"}
                  - name: left
                    dependencies: [pick]
                    when: tasks.pick.outputs.side == 'left'
                    command: "true"
                  - name: right
                    dependencies: [pick]
                    when: tasks.pick.outputs.side == 'right'
                    command: "true"
                  - {name: join, dependencies: [left, right], trigger_rule: none_failed_min_one_success, command: "true"}
                  - {name: strict_join, dependencies: [left, right], command: "true"}
                """);
        TaskDispatched pick = dispatched().get(0);
        succeed(pick, Map.of("side", "left"));
        TaskDispatched left = dispatched().get(0);
        assertEquals("left", left.task());
        assertEquals(TaskStatus.SKIPPED, task("r", "right").status());
        assertTrue(
                task("r", "right").current().error().contains("is false"),
                task("r", "right").current().error());
        succeed(left);
        assertEquals(
                List.of("join"), dispatched().stream().map(TaskDispatched::task).toList());
        assertEquals(TaskStatus.SKIPPED, task("r", "strict_join").status());
        assertTrue(
                task("r", "strict_join").current().error().contains("all_success"),
                task("r", "strict_join").current().error());
    }

    @Test
    void templatesRenderAtDispatchAndAMissingOutputFailsTheTaskByName() throws Exception {
        submitWithParams("r", Map.of("limit", "5"), """
                name: flow
                params:
                  limit: {type: int, default: 5}
                tasks:
                  - {name: count, command: "true"}
                  - name: use
                    dependencies: [count]
                    command: echo {{ tasks.count.outputs.files | json | quote }} {{ params.limit * 2 }} {{ task.attempt }}
                    env:
                      FIRST: "{{ tasks.count.outputs.files[0] }}"
                      ALL: "{{ tasks.count.outputs.files.join(',') }}"
                  - name: broken
                    dependencies: [count]
                    max_retries: 3
                    command: echo {{ tasks.count.outputs.rows }}
                  - {name: after_broken, dependencies: [broken], command: "true"}
                """);
        succeed(dispatched().get(0), Map.of("files", List.of("a b.csv", "it's")));
        List<TaskDispatched> next = dispatched();
        assertEquals(
                List.of("use"),
                next.stream().map(TaskDispatched::task).toList(),
                () -> task("r", "use").current().error());
        assertEquals("echo '[\"a b.csv\",\"it'\\''s\"]' 10 1", next.get(0).command());
        assertEquals("a b.csv", next.get(0).env().get("FIRST"));
        assertEquals("a b.csv,it's", next.get(0).env().get("ALL"));
        TaskEntry broken = task("r", "broken");
        assertEquals(TaskStatus.FAILED, broken.status(), "a missing output is not retried");
        assertEquals(0, broken.attempt());
        assertTrue(
                broken.current()
                        .error()
                        .contains("tasks.count.outputs.rows: task 'count' wrote no output 'rows' (it wrote files)"),
                broken.current().error());
        advance(java.time.Duration.ofSeconds(1));
        assertEquals(TaskStatus.UPSTREAM_FAILED, task("r", "after_broken").status());
        assertEquals(
                "echo '[\"a b.csv\",\"it'\\''s\"]' 10 1",
                task("r", "use").toReport().renderedCommand());
    }

    @Test
    void aRenderedCommandPastTheCommandLimitFailsTheTaskNamingTheLimit() throws Exception {
        submit("r", """
                name: big
                tasks:
                  - {name: make, command: "true"}
                  - {name: use, dependencies: [make], command: "echo {{ tasks.make.outputs.blob }}"}
                """);
        succeed(dispatched().get(0), Map.of("blob", "x".repeat(256 * 1024)));
        assertEquals(List.of(), dispatched());
        TaskEntry use = task("r", "use");
        assertEquals(TaskStatus.FAILED, use.status());
        assertTrue(
                use.current().error().contains("the rendered command has 262149 bytes; the limit is 256 KiB"),
                use.current().error());
    }

    @Test
    void aCleanUpThatRanLeavesTheRunFailedAndARetryRunsWhatDidNotSucceed() throws Exception {
        submit("r", """
                name: cleanup
                tasks:
                  - {name: work, command: "false"}
                  - {name: on_failure, dependencies: [work], trigger_rule: one_failed, command: "true"}
                  - {name: report, dependencies: [work], command: "true"}
                  - {name: tidy, dependencies: [work], trigger_rule: all_done, command: "true"}
                """);
        fail(dispatched().get(0));
        List<TaskDispatched> after = dispatched();
        assertEquals(
                List.of("on_failure", "tidy"),
                after.stream().map(TaskDispatched::task).sorted().toList());
        after.forEach(this::succeed);
        assertEquals(RunStatus.FAILED, run("r").status(), "a clean-up that ran does not make the run succeed");
        assertEquals(TaskStatus.UPSTREAM_FAILED, task("r", "report").status());

        commands.pipeInput("r", Events.toJson(TaskRetryRequested.of("r", clock.instant())));
        advance(java.time.Duration.ofSeconds(1));
        List<TaskDispatched> again = dispatched();
        assertEquals(List.of("work"), again.stream().map(TaskDispatched::task).toList());
        succeed(again.get(0));
        List<TaskDispatched> released = dispatched();
        assertEquals(
                List.of("report"), released.stream().map(TaskDispatched::task).toList(), "tidy stays done");
        succeed(released.get(0));
        assertEquals(TaskStatus.SUCCESS, task("r", "on_failure").status(), "what succeeded stays done");
        assertEquals(RunStatus.SUCCESS, run("r").status());
    }

    private void submitWithParams(String runId, Map<String, String> params, String yaml) throws Exception {
        var dag = new io.dagctl.core.parse.DagParser().parse(yaml, "test.yaml");
        commands.pipeInput(
                runId,
                Events.toJson(io.dagctl.core.event.RunSubmitted.of(
                        runId, dag, params, clock.instant(), null, io.dagctl.core.event.Submissions.newId())));
    }
}
