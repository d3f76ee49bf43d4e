package io.dagctl.core.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.model.TaskType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DagParserTest {

    private final DagParser parser = new DagParser();

    private List<Problem> problemsOf(String yaml) {
        return assertThrows(DagValidationException.class, () -> parser.parse(yaml, "dag.yaml"))
                .problems();
    }

    private Problem onlyProblem(String yaml) {
        List<Problem> problems = problemsOf(yaml);
        assertEquals(1, problems.size(), () -> "expected one problem, got " + problems);
        return problems.get(0);
    }

    @Test
    void readsEveryFieldAndAppliesDefaults() throws Exception {
        DagSpec dag = parser.parse("""
                name: etl
                tasks:
                  - name: extract
                    command: echo extract
                  - name: load
                    type: python
                    command: print('hi')
                    dependencies: [extract]
                    max_retries: 3
                    timeout: 30s
                    retry_delay: 250ms
                    max_retry_delay: 1m
                    env:
                      TARGET: warehouse
                      BATCH: 10
                """, "etl.yaml");
        assertEquals("etl", dag.name());
        TaskSpec extract = dag.tasks().get(0);
        assertEquals(TaskType.BASH, extract.type());
        assertEquals(0, extract.maxRetries());
        assertEquals(Duration.ofMinutes(5), extract.timeout());
        assertEquals(Duration.ofSeconds(1), extract.retryDelay());
        assertEquals(Duration.ofMinutes(5), extract.maxRetryDelay());
        TaskSpec load = dag.tasks().get(1);
        assertEquals(TaskType.PYTHON, load.type());
        assertEquals(List.of("extract"), load.dependencies());
        assertEquals(3, load.maxRetries());
        assertEquals(Duration.ofSeconds(30), load.timeout());
        assertEquals(Duration.ofMillis(250), load.retryDelay());
        assertEquals(Duration.ofMinutes(1), load.maxRetryDelay());
        assertEquals(Map.of("TARGET", "warehouse", "BATCH", "10"), load.env());
    }

    @Test
    void acceptsJsonBecauseJsonIsYaml() throws Exception {
        DagSpec dag = parser.parse(
                "{\"name\":\"j\",\"tasks\":[{\"name\":\"a\",\"command\":\"true\",\"timeout\":90}]}", "j.json");
        assertEquals(Duration.ofSeconds(90), dag.tasks().get(0).timeout());
    }

    @Test
    void durationsInEveryForm() {
        assertEquals(Duration.ofSeconds(30), DurationText.parse("30s").orElseThrow());
        assertEquals(Duration.ofMinutes(5), DurationText.parse("5m").orElseThrow());
        assertEquals(Duration.ofHours(1), DurationText.parse("1h").orElseThrow());
        assertEquals(Duration.ofSeconds(45), DurationText.parse("45").orElseThrow());
        assertEquals(Duration.ofMillis(1500), DurationText.parse("1.5").orElseThrow());
        assertTrue(DurationText.parse("soon").isEmpty());
        assertTrue(DurationText.parse("-3s").isEmpty());
    }

    @Test
    void syntaxErrorHasLineAndColumn() {
        Problem p = onlyProblem("name: x\ntasks:\n  - name: a\n    command: [unclosed\n");
        assertTrue(p.message().startsWith("YAML syntax error"), p.message());
        assertTrue(p.line() >= 4, p.format());
        assertTrue(p.format().startsWith("dag.yaml:"), p.format());
    }

    @Test
    void unknownFieldSuggestsTheIntendedOne() {
        Problem p = onlyProblem("""
                name: x
                tasks:
                  - name: a
                    command: "true"
                  - name: b
                    command: "true"
                    dependecies: [a]
                """);
        assertEquals(7, p.line());
        assertEquals(5, p.column());
        assertEquals("b", p.task());
        assertEquals("dependecies", p.field());
        assertTrue(p.message().contains("did you mean 'dependencies'?"), p.message());
    }

    @Test
    void unknownTopLevelField() {
        Problem p = problemsOf("name: x\ntaks: []\n").get(0);
        assertTrue(p.message().contains("did you mean 'tasks'?"), p.message());
        assertTrue(problemsOf("name: x\ntaks: []\n").stream()
                .anyMatch(q -> q.message().contains("missing required field 'tasks'")));
    }

    @Test
    void wrongTypesAreNamed() {
        List<Problem> problems = problemsOf("""
                name: x
                tasks:
                  - name: a
                    command: "true"
                    max_retries: many
                    dependencies: a
                    timeout: soon
                    env: [A]
                """);
        assertEquals(4, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().contains("expected a whole number, found text 'many'"));
        assertEquals("max_retries", problems.get(0).field());
        assertEquals(5, problems.get(0).line());
        assertTrue(problems.get(1).message().contains("expected a list of task names"));
        assertTrue(problems.get(2).message().contains("'soon' is not a duration"));
        assertTrue(problems.get(3).message().contains("expected a mapping of NAME: value"));
    }

    @Test
    void missingNameAndCommand() {
        List<Problem> problems = problemsOf("""
                name: x
                tasks:
                  - command: "true"
                  - name: b
                """);
        assertEquals(2, problems.size(), problems.toString());
        assertEquals("#1", problems.get(0).task());
        assertEquals("name", problems.get(0).field());
        assertEquals("b", problems.get(1).task());
        assertEquals("command", problems.get(1).field());
        assertEquals(4, problems.get(1).line());
    }

    @Test
    void missingDagName() {
        Problem p = onlyProblem("tasks:\n  - name: a\n    command: 'true'\n");
        assertEquals("name", p.field());
    }

    @Test
    void duplicateTaskNames() {
        Problem p = onlyProblem("""
                name: x
                tasks:
                  - name: a
                    command: "true"
                  - name: a
                    command: "false"
                """);
        assertEquals(5, p.line());
        assertTrue(p.message().contains("duplicate task name 'a' (first declared on line 3)"), p.message());
    }

    @Test
    void unknownDependencySuggestsTheClosestTask() {
        Problem p = onlyProblem("""
                name: x
                tasks:
                  - name: extract
                    command: "true"
                  - name: load
                    command: "true"
                    dependencies: [extrct]
                """);
        assertEquals("load", p.task());
        assertEquals(7, p.line());
        assertTrue(p.message().contains("unknown dependency 'extrct' (did you mean 'extract'?)"), p.message());
    }

    @Test
    void emptyTaskList() {
        Problem p = onlyProblem("name: x\ntasks: []\n");
        assertTrue(p.message().contains("the task list is empty"), p.message());
    }

    @Test
    void emptyDocument() {
        assertTrue(onlyProblem("").message().contains("the document is empty"));
    }

    @Test
    void unknownTaskType() {
        Problem p = onlyProblem("name: x\ntasks:\n  - name: a\n    type: pyhton\n    command: 'true'\n");
        assertEquals("type", p.field());
        assertTrue(p.message().contains("unknown task type 'pyhton' (did you mean 'python'?)"), p.message());
    }

    @Test
    void noopTasksNeedNoCommandAndRefuseOne() throws Exception {
        var dag = parser.parse("name: x\ntasks:\n  - {name: join, type: noop}\n", "x.yaml");
        assertEquals(TaskType.NOOP, dag.tasks().get(0).type());
        Problem p = onlyProblem("name: x\ntasks:\n  - name: join\n    type: noop\n    command: 'true'\n");
        assertEquals("command", p.field());
        assertEquals(5, p.line());
        assertTrue(p.message().contains("a noop task runs no command"), p.message());
    }

    @Test
    void cycleIsPrintedAsAPath() {
        Problem p = onlyProblem("""
                name: x
                tasks:
                  - name: a
                    command: "true"
                    dependencies: [c]
                  - name: b
                    command: "true"
                    dependencies: [a]
                  - name: c
                    command: "true"
                    dependencies: [b]
                """);
        assertTrue(p.message().contains("dependency cycle: a → c → b → a"), p.message());
        assertEquals("a", p.task());
        assertEquals(5, p.line());
    }

    @Test
    void selfDependencyIsACycle() {
        Problem p = onlyProblem("name: x\ntasks:\n  - name: a\n    command: 'true'\n    dependencies: [a]\n");
        assertTrue(p.message().contains("task depends on itself: a → a"), p.message());
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<Problem> problems = problemsOf("""
                name: x
                tasks:
                  - name: a
                    comand: "true"
                  - name: b
                    command: "true"
                    dependencies: [zzz]
                """);
        assertEquals(3, problems.size(), problems.toString());
    }

    @Test
    void billionLaughsIsRejected() {
        StringBuilder yaml = new StringBuilder("a: &a [x,x,x,x,x,x,x,x,x,x]\n");
        char prev = 'a';
        for (char c = 'b'; c <= 'j'; c++) {
            yaml.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) {
                yaml.append(i == 0 ? "" : ",").append('*').append(prev);
            }
            yaml.append("]\n");
            prev = c;
        }
        Problem p = onlyProblem(yaml.toString());
        assertTrue(p.message().contains("YAML rejected"), p.message());
    }

    @Test
    void documentSizeIsLimited() {
        DagParser small = new DagParser(100, 10);
        DagValidationException e = assertThrows(
                DagValidationException.class, () -> small.parse("name: x\n" + "#".repeat(200), "big.yaml"));
        assertTrue(e.problems().get(0).message().contains("more than the limit of 100"));
    }

    @Test
    void deepNestingIsRejected() {
        String deep = "name: x\ntasks: " + "[".repeat(100) + "]".repeat(100) + "\n";
        assertTrue(problemsOf(deep).get(0).message().startsWith("YAML"));
    }

    @Test
    void taskCountIsLimited() {
        DagParser limited = new DagParser(DagParser.DEFAULT_MAX_CHARS, 2);
        DagValidationException e = assertThrows(
                DagValidationException.class,
                () -> limited.parse(
                        "name: x\ntasks:\n  - {name: a, command: 'true'}\n  - {name: b, command: 'true'}\n  - {name: c, command: 'true'}\n",
                        "x.yaml"));
        assertTrue(e.problems().get(0).message().contains("more than the limit of 2"));
    }

    @Test
    void reservedAndInvalidEnvNames() {
        List<Problem> problems = problemsOf("""
                name: x
                tasks:
                  - name: a
                    command: "true"
                    env:
                      DAGCTL_RUN_ID: mine
                      1BAD: x
                """);
        assertEquals(2, problems.size(), problems.toString());
        assertTrue(problems.get(0).message().contains("prefix DAGCTL_"));
        assertTrue(problems.get(1).message().contains("not a valid environment variable name"));
    }

    @Test
    void invalidTaskNameCharacters() {
        Problem p = onlyProblem("name: x\ntasks:\n  - name: a/b\n    command: 'true'\n");
        assertEquals("name", p.field());
        assertTrue(p.message().contains("may contain only"), p.message());
    }

    @Test
    void formatNamesFileLineTaskAndField() {
        Problem p = new Problem("f.yaml", 3, 5, "load", "dependencies", "unknown dependency 'x'");
        assertEquals("f.yaml:3:5: task 'load', field 'dependencies': unknown dependency 'x'", p.format());
    }

    @Test
    void backoffDoublesUpToTheCap() {
        TaskSpec t = new TaskSpec(
                "a",
                TaskType.BASH,
                "true",
                List.of(),
                10,
                Duration.ofSeconds(1),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Map.of());
        assertEquals(Duration.ofSeconds(1), t.backoffBeforeRetry(1));
        assertEquals(Duration.ofSeconds(2), t.backoffBeforeRetry(2));
        assertEquals(Duration.ofSeconds(4), t.backoffBeforeRetry(3));
        assertEquals(Duration.ofSeconds(5), t.backoffBeforeRetry(4));
        assertEquals(Duration.ofSeconds(5), t.backoffBeforeRetry(60));
    }

    @Test
    void readsMaxActiveTasks() throws Exception {
        DagSpec dag = parser.parse("name: d\nmax_active_tasks: 4\ntasks:\n  - {name: a, command: 'true'}\n", "d.yaml");
        assertEquals(4, dag.maxActiveTasks());
        DagSpec free = parser.parse("name: d\ntasks:\n  - {name: a, command: 'true'}\n", "d.yaml");
        assertEquals(null, free.maxActiveTasks());
    }

    @Test
    void aMaxActiveTasksBelowOneOrNotANumberIsRefusedWhereItIs() {
        Problem zero = onlyProblem("name: d\nmax_active_tasks: 0\ntasks:\n  - {name: a, command: 'true'}\n");
        assertEquals(2, zero.line());
        assertEquals("max_active_tasks", zero.field());
        assertTrue(zero.message().contains("from 1 to 1000000, got 0"), zero.message());
        Problem text = onlyProblem("name: d\nmax_active_tasks: many\ntasks:\n  - {name: a, command: 'true'}\n");
        assertEquals("max_active_tasks", text.field());
        assertTrue(text.message().contains("expected a whole number"), text.message());
    }

    @Test
    void readsMaxActiveRunsAndRefusesOnePastItsLimitWhereItIs() throws Exception {
        DagSpec dag = parser.parse("name: d\nmax_active_runs: 500\ntasks:\n  - {name: a, command: 'true'}\n", "d.yaml");
        assertEquals(500, dag.maxActiveRuns());
        Problem past = onlyProblem("name: d\nmax_active_runs: 501\ntasks:\n  - {name: a, command: 'true'}\n");
        assertEquals(2, past.line());
        assertEquals("max_active_runs", past.field());
        assertTrue(past.message().contains("from 1 to 500, got 501"), past.message());
    }

    @Test
    void aTaskTakesItsOwnQueueElseItsDagsElseTheDefault() throws Exception {
        DagSpec dag = parser.parse(
                "name: d\nqueue: gpu\ntasks:\n  - {name: a, command: 'true'}\n"
                        + "  - {name: b, command: 'true', queue: db-zone}\n  - {name: c, command: 'true', queue: default}\n",
                "d.yaml");
        assertEquals("gpu", dag.tasks().get(0).queueName());
        assertEquals("db-zone", dag.tasks().get(1).queueName());
        assertEquals("default", dag.tasks().get(2).queueName());
        assertEquals(null, dag.tasks().get(2).queue(), "the default queue is not written");
        DagSpec plain = parser.parse("name: d\ntasks:\n  - {name: a, command: 'true'}\n", "d.yaml");
        assertEquals("default", plain.tasks().get(0).queueName());
    }

    @Test
    void anInvalidQueueNameIsRefusedWhereItIs() {
        Problem task = onlyProblem("name: d\ntasks:\n  - {name: a, command: 'true', queue: 'gpu.big'}\n");
        assertEquals(3, task.line());
        assertEquals("a", task.task());
        assertEquals("queue", task.field());
        assertTrue(task.message().contains("invalid queue name 'gpu.big'"), task.message());
        Problem dag = onlyProblem("name: d\nqueue: ''\ntasks:\n  - {name: a, command: 'true'}\n");
        assertEquals(2, dag.line());
        assertEquals("queue", dag.field());
    }
}
