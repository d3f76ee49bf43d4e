package io.dagctl.core.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TemplateTest {

    private static final Map<String, Object> VARS = Map.of(
            "tasks",
            Map.of(
                    "list",
                    Map.of(
                            "outputs",
                            Map.of("files", List.of("a.csv", "b c.csv"), "n", 2, "name", "it's"),
                            "status",
                            "SUCCESS",
                            "exit_code",
                            0)),
            "params",
            Map.of("day", "2026-12-06", "limit", 10L),
            "run",
            Map.of("id", "r1", "logical_date", "2026-12-06T00:00:00Z", "dag", "etl", "trigger", "api"),
            "task",
            Map.of("name", "load", "attempt", 2L, "index", 0L));

    @Test
    void rendersValuesFiltersAndLiterals() throws Exception {
        assertEquals(
                "load r1 2026-12-06 2 attempt=2",
                Template.parse("{{ task.name }} {{run.id}} {{ params.day }} {{ tasks.list.outputs.n }} attempt={{"
                                + " task.attempt }}")
                        .render(VARS));
        assertEquals(
                "wc -l 'it'\\''s' [\"a.csv\",\"b c.csv\"]",
                Template.parse("wc -l {{ tasks.list.outputs.name | quote }} {{ tasks.list.outputs.files }}")
                        .render(VARS));
        assertEquals(
                "'[\"a.csv\",\"b c.csv\"]' \"it's\"",
                Template.parse("{{ tasks.list.outputs.files | json | quote }} {{ tasks.list.outputs.name | json }}")
                        .render(VARS));
        assertEquals(
                "20 yes",
                Template.parse("{{ params.limit * 2 }} {{ 1 == 1 || false ? 'yes' : 'no' }}")
                        .render(VARS));
        assertEquals(
                "b c.csv",
                Template.parse("{{ tasks.list.outputs.files.filter(f, f.contains(' '))[0] }}")
                        .render(VARS));
        assertEquals(
                "literal {{ braces }}",
                Template.parse("literal {{ '{{ braces }}' }}").render(VARS));
        assertFalse(Template.mayHold("echo ${HOME} {x}"));
    }

    @Test
    void findsWhatItReads() throws Exception {
        References refs = Template.parse("{{ tasks.list.outputs.files }} {{ tasks['other'].status }} {{ params.day }}"
                        + " {{ has(tasks.list.outputs.maybe) }}")
                .references();
        assertEquals(Set.of("list", "other"), refs.tasks().keySet());
        assertEquals(Map.of("list", Set.of("files")), refs.outputKeys());
        assertEquals(Set.of("day"), refs.params());
        assertFalse(refs.usesItem());
        assertTrue(Template.parse("{{ item }}").references().usesItem());
    }

    @Test
    void refusesWhatItCannotCheck() {
        assertProblem("echo {{ tasks.list.outputs.n", "'{{' without a closing '}}'");
        assertProblem("{{ }}", "empty placeholder");
        assertProblem("{{ x | upper }}", "unknown filter 'upper'");
        assertProblem("{{ foo.bar }}", "undeclared reference to 'foo'");
        assertProblem("{{ 1 + }}", "in {{ 1 + }}");
        assertProblem("{{ tasks.list }}", "must be followed by one of");
        assertProblem("{{ tasks.list.output.x }}", "has no field 'output'");
        assertProblem("{{ tasks[params.day].status }}", "'tasks' must be followed by a task name");
        assertProblem("{{ run.date }}", "not 'date'");
        assertProblem("{{ task }}", "name one");
    }

    @Test
    void aMissingKeyOrNullFailsInsteadOfRenderingNothing() throws Exception {
        var missing = assertThrows(
                ExpressionException.class,
                () -> Template.parse("x{{ tasks.list.outputs.rows }}").render(VARS));
        assertTrue(missing.getMessage().contains("rows"), missing.getMessage());
        var nul = assertThrows(
                ExpressionException.class, () -> Template.parse("{{ null }}").render(VARS));
        assertTrue(nul.getMessage().contains("never renders as nothing"), nul.getMessage());
    }

    @Test
    void evaluationIsBounded() throws Exception {
        var tooLong = assertThrows(
                ExpressionException.class,
                () -> Template.parse("{{ [1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b,"
                                + " [1,2,3,4,5,6,7,8,9,10].map(c, [1,2,3,4,5,6,7,8,9,10].map(d,"
                                + " [1,2,3,4,5,6,7,8,9,10].map(e, [1,2,3,4,5,6,7,8,9,10].map(f, f)))))) }}")
                        .render(VARS));
        assertTrue(tooLong.getMessage().contains("Iteration budget exceeded"), tooLong.getMessage());
    }

    private static void assertProblem(String text, String expected) {
        var e = assertThrows(TemplateException.class, () -> Template.parse(text));
        assertTrue(e.getMessage().contains(expected), text + " → " + e.getMessage());
    }
}
