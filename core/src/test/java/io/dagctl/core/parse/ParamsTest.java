package io.dagctl.core.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.event.Events;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.ParamSpec;
import io.dagctl.core.model.ParamType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A DAG's {@code params:} declarations, and the parameters a run is given checked against them. */
class ParamsTest {

    private static final String TASKS = "tasks:\n  - {name: a, command: 'true'}\n";

    private final DagParser parser = new DagParser();

    private DagSpec dag(String params) throws DagValidationException {
        return parser.parse("name: p\nparams:\n" + params + TASKS, "p.yaml");
    }

    private List<Problem> problemsOf(String params) {
        return assertThrows(DagValidationException.class, () -> dag(params)).problems();
    }

    private static Map<String, String> given(String... nameValue) {
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < nameValue.length; i += 2) {
            out.put(nameValue[i], nameValue[i + 1]);
        }
        return out;
    }

    @Test
    void declarationsInEveryFormKeepTheirOrderAndCanonicalDefaults() throws Exception {
        DagSpec dag = dag("""
                  day: {type: string, required: true, description: the day}
                  shards: {type: int, default: 0_4}
                  ratio: {type: number, default: 1e2}
                  dry_run: {type: bool, default: FALSE}
                  regions: {type: list, default: [eu, 2, true]}
                  owner: data-team
                  note:
                """);
        assertEquals(
                List.of("day", "shards", "ratio", "dry_run", "regions", "owner", "note"),
                List.copyOf(dag.params().keySet()));
        assertEquals(
                new ParamSpec("day", ParamType.STRING, null, true, "the day"),
                dag.params().get("day"));
        assertEquals("4", dag.params().get("shards").defaultValue());
        assertEquals("100", dag.params().get("ratio").defaultValue());
        assertEquals("false", dag.params().get("dry_run").defaultValue());
        assertEquals("[\"eu\",2,true]", dag.params().get("regions").defaultValue());
        assertEquals(ParamSpec.string("owner", "data-team"), dag.params().get("owner"));
        assertEquals(ParamSpec.string("note", null), dag.params().get("note"));
    }

    @Test
    void theDeclarationsSurviveTheWireAndADagWithoutThemReadsAsEmpty() throws Exception {
        DagSpec dag = dag("  shards: {type: int, default: 2}\n  owner: x\n");
        DagSpec back = Events.fromJson(Events.toJson(dag), DagSpec.class);
        assertEquals(dag, back);
        assertEquals(List.of("shards", "owner"), List.copyOf(back.params().keySet()));
        DagSpec old = Events.fromJson(
                "{\"name\":\"o\",\"tasks\":[]}".getBytes(java.nio.charset.StandardCharsets.UTF_8), DagSpec.class);
        assertTrue(old.params().isEmpty());
    }

    @Test
    void eachBadDeclarationIsNamedWithItsLineAndField() {
        List<Problem> problems = problemsOf("""
                  count: {type: integer}
                  flag: {type: bool, default: maybe}
                  both: {type: int, default: 3, required: true}
                  1st: x
                  list_of_maps: {type: list, default: [{a: 1}]}
                  typo: {typ: int}
                  shape: [1, 2]
                """);
        assertEquals(7, problems.size(), problems::toString);
        assertEquals(
                "p.yaml:3:17: field 'params.count.type': unknown type 'integer'; known types: string, int, number,"
                        + " bool, list",
                problems.get(0).format());
        assertEquals("params.flag.default", problems.get(1).field());
        assertEquals(4, problems.get(1).line());
        assertTrue(problems.get(1).message().contains("expected true or false, got 'maybe'"), problems::toString);
        assertTrue(problems.get(2).message().contains("drop 'required' or the default"), problems::toString);
        assertTrue(problems.get(3).message().contains("'1st' is not a parameter name"), problems::toString);
        assertTrue(problems.get(4).message().contains("a list holds strings, numbers or booleans"), problems::toString);
        assertTrue(
                problems.get(5).message().contains("unknown field 'typ' (did you mean 'type'?)"), problems::toString);
        assertTrue(problems.get(6).message().contains("expected a default value or {type"), problems::toString);
    }

    @Test
    void namesThatWouldBeTheSameEnvironmentVariableAreRefused() {
        List<Problem> problems = problemsOf("  day: a\n  DAY: b\n");
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).message().contains("would both be DAGCTL_PARAM_DAY"), problems::toString);
    }

    @Test
    void aRunGetsDefaultsAndCanonicalValues() throws Exception {
        DagSpec dag = dag("""
                  day: {type: string, required: true}
                  shards: {type: int, default: 2}
                  ratio: {type: number}
                  dry_run: {type: bool, default: false}
                  regions: {type: list, default: [eu]}
                """);
        assertEquals(
                given("day", "2026-12-01", "shards", "2", "dry_run", "false", "regions", "[\"eu\"]"),
                RunParams.resolve(dag, given("day", "2026-12-01")));
        assertEquals(
                given("day", "d", "shards", "7", "ratio", "0.50", "dry_run", "true", "regions", "[\"a\",\"b\"]"),
                RunParams.resolve(
                        dag,
                        given("day", "d", "shards", " 007", "ratio", ".50", "dry_run", "True", "regions", "a, b")));
        assertEquals(
                "[1,\"x\"]",
                RunParams.resolve(dag, given("day", "d", "regions", "[1, \"x\"]"))
                        .get("regions"));
        assertEquals(
                "[]", RunParams.resolve(dag, given("day", "d", "regions", "")).get("regions"));
    }

    @Test
    void everyProblemWithTheGivenParametersIsNamed() throws Exception {
        DagSpec dag = dag("""
                  day: {type: string, required: true, description: YYYY-MM-DD}
                  shards: {type: int, default: 2}
                  ratio: {type: number}
                  dry_run: {type: bool}
                  regions: {type: list}
                """);
        InvalidParamsException e = assertThrows(
                InvalidParamsException.class,
                () -> RunParams.resolve(
                        dag,
                        given("shard", "3", "shards", "three", "ratio", "NaN", "dry_run", "yes", "regions", "[{}]")));
        List<String> said = e.problems().stream().map(ParamProblem::format).toList();
        assertEquals(6, said.size(), said::toString);
        assertEquals(
                "parameter 'shard': DAG 'p' takes no such parameter (did you mean 'shards'?); it takes day, shards,"
                        + " ratio, dry_run, regions",
                said.get(0));
        assertEquals("parameter 'day': missing; the DAG requires it (string: YYYY-MM-DD)", said.get(1));
        assertEquals("parameter 'shards': expected a whole number, got 'three' (int)", said.get(2));
        assertEquals("parameter 'ratio': expected a number, got 'NaN' (number)", said.get(3));
        assertEquals("parameter 'dry_run': expected true or false, got 'yes' (bool)", said.get(4));
        assertTrue(said.get(5).startsWith("parameter 'regions': a list holds strings"), said::toString);
    }

    @Test
    void aNumberWithAHugeExponentIsRefusedNotWrittenOut() throws Exception {
        DagSpec dag = dag("  ratio: {type: number}\n");
        InvalidParamsException e =
                assertThrows(InvalidParamsException.class, () -> RunParams.resolve(dag, given("ratio", "1e999999999")));
        assertTrue(e.getMessage().contains("a number of at most 1000 digits"), e.getMessage());
        assertThrows(InvalidParamsException.class, () -> RunParams.resolve(dag, given("ratio", "1e-2147483647")));
        assertEquals(
                "1" + "0".repeat(999),
                RunParams.resolve(dag, given("ratio", "1e999")).get("ratio"));
        assertTrue(problemsOf("  big: {type: number, default: 1e999999999}\n")
                .get(0)
                .message()
                .contains("1000 digits"));
    }

    @Test
    void requiredTakesEveryYamlTrueAndTheDefaultsMustFitTheParameterLimit() throws Exception {
        assertTrue(
                dag("  day: {type: string, required: on}\n").params().get("day").required());
        List<Problem> problems = problemsOf("  a: " + "x".repeat(40_000) + "\n  b: " + "y".repeat(40_000) + "\n");
        assertEquals(1, problems.size(), problems::toString);
        assertTrue(problems.get(0).message().startsWith("the defaults have 80004 bytes"), problems::toString);
    }

    @Test
    void aDagThatDeclaresNoParametersTakesAnyAsText() throws Exception {
        DagSpec dag = parser.parse("name: p\n" + TASKS, "p.yaml");
        assertEquals(given("ANY", "thing"), RunParams.resolve(dag, given("ANY", "thing")));
    }
}
