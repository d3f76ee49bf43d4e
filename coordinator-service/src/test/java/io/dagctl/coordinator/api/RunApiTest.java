package io.dagctl.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The REST shell in-process, on a real broker: auth, body limits, problem details and the state checks of cancel and
 * retry. No worker runs here, so submitted tasks stay queued.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class RunApiTest {

    private static final String PROBLEM = "application/problem+json";
    private static final String BEARER = "Bearer " + EmbeddedKafkaResource.TOKEN;
    private static final String ONE_TASK = "name: one\ntasks:\n  - {name: a, command: 'true'}\n";

    @BeforeEach
    void coordinatorReady() {
        await("coordinator ready")
                .atMost(Duration.ofSeconds(60))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void everyApiCallNeedsAValidBearerTokenWhileHealthStaysOpen() {
        given().get("/api/v1/runs")
                .then()
                .statusCode(401)
                .contentType(PROBLEM)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("title", equalTo("Unauthorized"))
                .body("detail", containsString("Authorization: Bearer"));
        given().header("Authorization", "Bearer wrong")
                .get("/api/v1/runs")
                .then()
                .statusCode(401)
                .body("detail", equalTo("the bearer token is not valid"));
        given().body(ONE_TASK).post("/api/v1/runs").then().statusCode(401);
        given().header("Authorization", BEARER).get("/api/v1/runs").then().statusCode(200);
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/runs/{runId}/cancel"));
        given().get("/q/swagger-ui/").then().statusCode(200).body(containsString("swagger-ui"));
    }

    @Test
    void aBodyThatIsNotYamlIs400ThatSaysWhereItBreaks() {
        given().header("Authorization", BEARER)
                .body("name: x\ntasks: [ {name: a, command: }")
                .post("/api/v1/runs")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors[0].message", startsWith("YAML syntax error"))
                .body("errors[0].line", equalTo(2));
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413ThatNamesTheLimit() {
        String big = ONE_TASK + "# " + "x".repeat(EmbeddedKafkaResource.MAX_BODY_BYTES) + "\n";
        given().header("Authorization", BEARER)
                .body(big)
                .post("/api/v1/runs")
                .then()
                .statusCode(413)
                .contentType(PROBLEM)
                .body("status", equalTo(413))
                .body("detail", containsString("the limit is " + EmbeddedKafkaResource.MAX_BODY_BYTES))
                .body("detail", containsString("dagctl.api.max-body-size"));
    }

    @Test
    void anInvalidDagIs400WithEveryProblemWhereItIs() {
        String dag = """
                name: broken
                tasks:
                  - name: a
                    command: "true"
                    dependecies: [b]
                  - name: b
                    command: "true"
                    dependencies: [nope]
                """;
        given().header("Authorization", BEARER)
                .body(dag)
                .post("/api/v1/runs")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("title", equalTo("Invalid DAG"))
                .body("errors", hasSize(2))
                .body("errors[0].line", equalTo(5))
                .body("errors[0].task", equalTo("a"))
                .body("errors[0].field", equalTo("dependecies"))
                .body("errors[1].line", equalTo(8))
                .body("errors[1].message", containsString("unknown dependency 'nope'"));
    }

    @Test
    void badQueriesAndUnknownRunsAreProblemsThatSayWhy() {
        given().header("Authorization", BEARER)
                .get("/api/v1/runs?status=HAPPY")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("detail", containsString("'HAPPY'"));
        given().header("Authorization", BEARER)
                .get("/api/v1/runs?limit=0")
                .then()
                .statusCode(400)
                .body("title", equalTo("Invalid paging"));
        given().header("Authorization", BEARER)
                .get("/api/v1/runs?since=yesterday")
                .then()
                .statusCode(400)
                .body("detail", containsString("'since' is 'yesterday', not a time"));
        given().header("Authorization", BEARER)
                .get("/api/v1/runs?cursor=not-a-cursor")
                .then()
                .statusCode(400)
                .body("detail", containsString("is not one this API gave out"));
        given().header("Authorization", BEARER)
                .get("/api/v1/runs?offset=9990&limit=20")
                .then()
                .statusCode(400)
                .body("detail", containsString("page further with the cursor"));
        given().header("Authorization", BEARER)
                .get("/api/v1/runs/no-such-run")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("detail", equalTo("no run with id 'no-such-run'"));
        given().header("Authorization", BEARER)
                .header("Idempotency-Key", "has space")
                .body(ONE_TASK)
                .post("/api/v1/runs")
                .then()
                .statusCode(400)
                .body("title", equalTo("Invalid Idempotency-Key"));
        given().header("Authorization", BEARER)
                .queryParam("param", "1bad=x")
                .body(ONE_TASK)
                .post("/api/v1/runs")
                .then()
                .statusCode(400)
                .body("title", equalTo("Invalid run parameter"));
    }

    @Test
    void aRunsTasksArePagedByCursorWithItsCountsByStatus() {
        StringBuilder yaml = new StringBuilder("name: paged\ntasks:\n  - {name: root, command: 'true'}\n");
        for (int i = 0; i < 24; i++) {
            yaml.append("  - {name: t")
                    .append(String.format("%02d", i))
                    .append(", command: 'true', dependencies: [root]}\n");
        }
        String runId = submit(yaml.toString());
        java.util.List<String> names = new java.util.ArrayList<>();
        String cursor = null;
        for (int pages = 0; pages < 10; pages++) {
            var page = given().header("Authorization", BEARER)
                    .queryParam("limit", 10)
                    .queryParam("cursor", cursor == null ? "" : cursor)
                    .get("/api/v1/runs/" + runId + "/tasks")
                    .then()
                    .statusCode(200)
                    .body("counts.QUEUED", equalTo(1))
                    .body("counts.PENDING", equalTo(24))
                    .extract();
            names.addAll(page.path("tasks.name"));
            cursor = page.path("next_cursor");
            if (cursor == null) {
                break;
            }
        }
        assertEquals(25, names.size(), names.toString());
        assertEquals("root", names.get(0));
        assertEquals("t23", names.get(24));
        given().header("Authorization", BEARER)
                .queryParam("status", "queued")
                .get("/api/v1/runs/" + runId + "/tasks")
                .then()
                .statusCode(200)
                .body("tasks.name", equalTo(java.util.List.of("root")))
                .body("next_cursor", equalTo(null));
        given().header("Authorization", BEARER)
                .get("/api/v1/runs/" + runId + "/summary")
                .then()
                .statusCode(200)
                .body("task_count", equalTo(25))
                .body("task_counts.PENDING", equalTo(24));
        given().header("Authorization", BEARER)
                .queryParam("status", "SLEEPY")
                .get("/api/v1/runs/" + runId + "/tasks")
                .then()
                .statusCode(400);
        given().header("Authorization", BEARER)
                .get("/api/v1/runs/no-such-run/tasks")
                .then()
                .statusCode(404);
        given().header("Authorization", BEARER)
                .queryParam("dag", "paged")
                .get("/api/v1/runs")
                .then()
                .statusCode(200)
                .body("runs[0].task_counts.PENDING", equalTo(24))
                .body("total", equalTo(1));
    }

    @Test
    void cancelAndRetryAreRefusedWith409WhenTheRunIsNotInAStateForThem() {
        String runId = submit(ONE_TASK);
        given().header("Authorization", BEARER)
                .post("/api/v1/runs/" + runId + "/retry")
                .then()
                .statusCode(409)
                .body("title", equalTo("Run still running"));
        given().header("Authorization", BEARER)
                .post("/api/v1/runs/" + runId + "/cancel")
                .then()
                .statusCode(202);
        awaitStatus(runId, "CANCELLED");
        given().header("Authorization", BEARER)
                .post("/api/v1/runs/" + runId + "/cancel")
                .then()
                .statusCode(409)
                .contentType(PROBLEM)
                .body("title", equalTo("Run already finished"));
    }

    @Test
    void aRepeatedIdempotencyKeyAnswersTheSameRun() {
        String key = "api-test-" + System.nanoTime();
        Response first = given().header("Authorization", BEARER)
                .header("Idempotency-Key", key)
                .body(ONE_TASK)
                .post("/api/v1/runs");
        first.then().statusCode(202).body("existing", equalTo(false));
        String runId = first.path("run_id");
        given().header("Authorization", BEARER)
                .header("Idempotency-Key", key)
                .body(ONE_TASK)
                .post("/api/v1/runs")
                .then()
                .statusCode(200)
                .body("run_id", equalTo(runId))
                .body("existing", equalTo(true));
    }

    @Test
    void aRepeatedIdempotencyKeyWithAnotherDagOrOtherParametersIs422() {
        String key = "api-test-conflict-" + System.nanoTime();
        String runId = given().header("Authorization", BEARER)
                .header("Idempotency-Key", key)
                .body(ONE_TASK)
                .post("/api/v1/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("run_id");
        given().header("Authorization", BEARER)
                .header("Idempotency-Key", key)
                .queryParam("param", "DAY=2026-12-03")
                .body(ONE_TASK)
                .post("/api/v1/runs")
                .then()
                .statusCode(422)
                .contentType(PROBLEM)
                .body("title", equalTo("Idempotency-Key reused"))
                .body("detail", containsString(runId));
    }

    @Test
    void aCommandOrAnEnvironmentOverItsLimitIs400NamingTheTaskTheFieldAndTheLimit() {
        String big = "name: big\ntasks:\n  - name: huge\n    command: \"echo " + "x".repeat(300_000) + "\"\n";
        given().header("Authorization", BEARER)
                .body(big)
                .post("/api/v1/runs")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("errors[0].task", equalTo("huge"))
                .body("errors[0].field", equalTo("command"))
                .body("errors[0].message", containsString("the limit is 256 KiB"));
        String env = "name: env\ntasks:\n  - name: wide\n    command: env\n    env:\n      BIG: \"" + "y".repeat(70_000)
                + "\"\n";
        given().header("Authorization", BEARER)
                .body(env)
                .post("/api/v1/runs")
                .then()
                .statusCode(400)
                .body("errors[0].task", equalTo("wide"))
                .body("errors[0].field", equalTo("env"))
                .body("errors[0].message", containsString("the limit is 64 KiB"));
    }

    @Test
    void parametersAreCheckedAgainstTheDagsDeclarationsAndTheRunShowsThemWithDefaults() {
        String dag = "name: typed\nparams:\n  day: {type: string, required: true}\n  shards: {type: int, default: 2}\n"
                + "tasks:\n  - {name: a, command: 'true'}\n";
        given().header("Authorization", BEARER)
                .queryParam("param", "shards=two")
                .queryParam("param", "dya=2026-12-01")
                .body(dag)
                .post("/api/v1/runs")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("title", equalTo("Invalid run parameter"))
                .body("errors", hasSize(3))
                .body("errors[0].param", equalTo("dya"))
                .body("errors[0].message", containsString("did you mean 'day'?"))
                .body("errors[1].param", equalTo("day"))
                .body("errors[1].message", containsString("missing"))
                .body("errors[2].param", equalTo("shards"))
                .body("errors[2].message", equalTo("expected a whole number, got 'two' (int)"));
        String runId = given().header("Authorization", BEARER)
                .queryParam("param", "day=2026-12-01")
                .body(dag)
                .post("/api/v1/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("run_id");
        await("the run's report")
                .atMost(Duration.ofSeconds(30))
                .until(() -> given().header("Authorization", BEARER)
                                .get("/api/v1/runs/" + runId)
                                .statusCode()
                        == 200);
        given().header("Authorization", BEARER)
                .get("/api/v1/runs/" + runId)
                .then()
                .body("params.day", equalTo("2026-12-01"))
                .body("params.shards", equalTo("2"))
                .body("trigger", equalTo("api"))
                .body("dag_version", nullValue())
                .body("logical_date", notNullValue());
    }

    @Test
    void aCommandFileIsForTheCliNotTheApi() {
        given().header("Authorization", BEARER)
                .body("name: f\ntasks:\n  - {name: a, command_file: etl.sh}\n")
                .post("/api/v1/runs")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("command_file"))
                .body("errors[0].message", containsString("read by the dagctl CLI"));
    }

    static String submit(String yaml) {
        return given().header("Authorization", BEARER)
                .body(yaml)
                .post("/api/v1/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("run_id");
    }

    static void awaitStatus(String runId, String status) {
        await("run " + runId + " " + status)
                .atMost(Duration.ofSeconds(30))
                .until(() -> status.equals(given().header("Authorization", BEARER)
                        .get("/api/v1/runs/" + runId)
                        .path("status")));
    }
}
