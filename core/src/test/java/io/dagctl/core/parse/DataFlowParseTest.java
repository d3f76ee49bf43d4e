package io.dagctl.core.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.TriggerRule;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Trigger rules, conditions and templates as the parser reads and checks them: every problem with where it is. */
class DataFlowParseTest {

    private final DagParser parser = new DagParser();

    private Problem onlyProblem(String yaml) {
        List<Problem> problems = assertThrows(DagValidationException.class, () -> parser.parse(yaml, "dag.yaml"))
                .problems();
        assertEquals(1, problems.size(), () -> "expected one problem, got " + problems);
        return problems.get(0);
    }

    @Test
    void readsTriggerRulesConditionsAndTemplates() throws Exception {
        DagSpec dag = parser.parse("""
                name: flow
                params:
                  limit: {type: int, default: 3}
                tasks:
                  - name: count
                    command: echo n=4 > "$DAGCTL_OUTPUT"
                  - name: big
                    dependencies: [count]
                    when: int(tasks.count.outputs.n) > params.limit
                    command: echo "{{ tasks.count.outputs.n }} rows, day {{ run.logical_date | quote }}"
                    env:
                      ROWS: "{{ tasks.count.outputs.n }}"
                  - name: cleanup
                    dependencies: [big]
                    trigger_rule: all_done
                    when: "{{ tasks.count.status == 'SUCCESS' }}"
                    command: echo done
                """, "dag.yaml");
        assertNull(dag.task("count").orElseThrow().triggerRule(), "the default is left out");
        assertEquals(TriggerRule.ALL_SUCCESS, dag.task("big").orElseThrow().rule());
        assertEquals(TriggerRule.ALL_DONE, dag.task("cleanup").orElseThrow().rule());
        assertEquals(
                "int(tasks.count.outputs.n) > params.limit",
                dag.task("big").orElseThrow().when());
    }

    @Test
    void anUnknownRuleIsNamedWithTheIntendedOne() {
        Problem p = onlyProblem("""
                name: x
                tasks:
                  - name: a
                    command: "true"
                    trigger_rule: all_sucess
                """);
        assertEquals(5, p.line());
        assertEquals("trigger_rule", p.field());
        assertTrue(p.message().contains("did you mean 'all_success'"), p.message());
    }

    @Test
    void aTemplateMayReadOnlyUpstreamTasks() {
        Problem notUpstream = onlyProblem("""
                name: x
                tasks:
                  - name: a
                    command: "true"
                  - name: b
                    command: echo {{ tasks.a.outputs.n }}
                """);
        assertEquals("b", notUpstream.task());
        assertEquals("command", notUpstream.field());
        assertEquals(6, notUpstream.line());
        assertEquals(19, notUpstream.column(), notUpstream.format());
        assertTrue(notUpstream.message().contains("task 'a' is not upstream of 'b'"), notUpstream.message());

        Problem unknown = onlyProblem("""
                name: x
                tasks:
                  - name: load
                    command: "true"
                  - name: b
                    dependencies: [load]
                    command: "true"
                    env:
                      X: "{{ tasks.lod.outputs.n }}"
                """);
        assertEquals("env.X", unknown.field());
        assertTrue(unknown.message().contains("unknown task 'lod'")
                && unknown.message().contains("'load'"));
    }

    @Test
    void transitiveUpstreamIsEnough() throws Exception {
        parser.parse("""
                name: x
                tasks:
                  - name: a
                    command: "true"
                  - name: b
                    dependencies: [a]
                    command: "true"
                  - name: c
                    dependencies: [b]
                    command: |
                      echo start
                      echo {{ tasks.a.exit_code }}
                """, "dag.yaml");
    }

    @Test
    void syntaxErrorsInsideABlockNameTheirLine() {
        Problem p = onlyProblem("""
                name: x
                tasks:
                  - name: c
                    command: |
                      echo start
                      echo {{ 1 + }}
                """);
        assertEquals(6, p.line(), p.format());
        assertTrue(p.message().contains("in {{ 1 + }}"), p.message());
    }

    @Test
    void namesAreChecked() {
        assertTrue(onlyProblem("""
                        name: x
                        params:
                          day: {type: string, default: "d"}
                        tasks:
                          - name: a
                            command: echo {{ params.dya }}
                        """).message().contains("unknown parameter 'dya'"));
        assertTrue(onlyProblem("""
                        name: x
                        tasks:
                          - name: a
                            command: echo {{ item }}
                        """).message().contains("only defined in a task with for_each"));
        assertTrue(onlyProblem("""
                        name: x
                        tasks:
                          - name: a
                            command: echo {{ tasks.a.status }}
                        """).message().contains("cannot read its own"));
    }

    @Test
    void conditionsMustBeBooleanAndAlwaysCannotReadUpstream() {
        Problem notBool = onlyProblem("""
                name: x
                tasks:
                  - name: a
                    command: "true"
                    when: "'yes'"
                """);
        assertEquals("when", notBool.field());
        assertTrue(notBool.message().contains("must be true or false"));
        Problem always = onlyProblem("""
                name: x
                tasks:
                  - name: a
                    command: "true"
                  - name: b
                    dependencies: [a]
                    trigger_rule: always
                    when: tasks.a.status == 'FAILED'
                    command: "true"
                """);
        assertTrue(always.message().contains("trigger_rule always"), always.message());
    }

    @Test
    void forEachTakesAListOrATemplateWithinItsLimit() throws Exception {
        DagSpec dag = parser.parse("""
                name: map
                params:
                  regions: {type: list, default: [eu, us]}
                tasks:
                  - name: ls
                    command: "true"
                  - name: each_file
                    dependencies: [ls]
                    for_each: "{{ tasks.ls.outputs.files }}"
                    max_instances: 50000
                    command: wc -l {{ item | quote }}
                  - name: each_region
                    for_each: "{{ params.regions }}"
                    command: echo "$DAGCTL_ITEM"
                  - name: each_shard
                    for_each: [1, 2, {name: three}]
                    env:
                      SHARD: "{{ item }}"
                    command: echo "$SHARD"
                """, "dag.yaml");
        assertEquals(
                List.of(1L, 2L, java.util.Map.of("name", "three")),
                dag.task("each_shard").orElseThrow().forEach());
        assertEquals(50000, dag.task("each_file").orElseThrow().instanceLimit());

        Problem tooMany = onlyProblem("""
                name: x
                tasks:
                  - {name: a, for_each: [1, 2, 3], max_instances: 2, command: "true"}
                """);
        assertEquals("for_each", tooMany.field());
        assertTrue(tooMany.message().contains("the list has 3 items; max_instances is 2"), tooMany.message());
        assertTrue(onlyProblem("""
                        name: x
                        tasks:
                          - {name: a, for_each: "just text", command: "true"}
                        """).message().contains("for_each takes a list, or a template"));
        assertTrue(onlyProblem("""
                        name: x
                        tasks:
                          - {name: a, max_instances: 5, command: "true"}
                        """).message().contains("max_instances needs for_each"));
        assertTrue(onlyProblem("""
                        name: x
                        tasks:
                          - {name: a, for_each: [1], when: "item == 1", command: "true"}
                        """).message().contains("not in when or for_each"));
        assertTrue(onlyProblem("""
                        name: x
                        tasks:
                          - {name: a, for_each: [1], max_instances: 100001, command: "true"}
                        """).message().contains("from 1 to 100000"));
        assertTrue(onlyProblem("""
                        name: x
                        tasks:
                          - {name: a, command: "true"}
                          - {name: b, for_each: "{{ tasks.a.outputs.files }}", command: "true"}
                        """).message().contains("not upstream"));
    }
}
