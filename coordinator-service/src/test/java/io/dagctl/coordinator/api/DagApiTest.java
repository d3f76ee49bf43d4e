package io.dagctl.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Stored DAGs through the REST shell in-process, on a real broker: versions, reads, runs of a stored DAG with checked
 * parameters, pause and delete. No worker runs here, so the runs stay queued.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class DagApiTest {

    private static final String PROBLEM = "application/problem+json";

    private static String dag(String name, String... extraTasks) {
        StringBuilder yaml = new StringBuilder("name: " + name + "\nparams:\n  day: {type: string, required: true}\n"
                + "  shards: {type: int, default: 2}\ntasks:\n  - {name: a, command: 'true'}\n");
        for (String task : extraTasks) {
            yaml.append("  - {name: ").append(task).append(", command: 'true', dependencies: [a]}\n");
        }
        return yaml.toString();
    }

    private static RequestSpecification api() {
        return given().header("Authorization", "Bearer " + EmbeddedKafkaResource.TOKEN);
    }

    @BeforeEach
    void coordinatorReady() {
        await("coordinator ready")
                .atMost(Duration.ofSeconds(60))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void applyingStoresVersionsAndTheSameDagKeepsItsVersion() {
        api().body(dag("versions"))
                .put("/api/v1/dags/versions")
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/dags/versions"))
                .body("version", equalTo(1))
                .body("changed", equalTo(true));
        api().body(dag("versions"))
                .put("/api/v1/dags/versions")
                .then()
                .statusCode(200)
                .body("version", equalTo(1))
                .body("changed", equalTo(false));
        api().body(dag("versions", "b"))
                .put("/api/v1/dags/versions")
                .then()
                .statusCode(200)
                .body("version", equalTo(2))
                .body("changed", equalTo(true));
        api().get("/api/v1/dags/versions")
                .then()
                .statusCode(200)
                .body("version", equalTo(2))
                .body("dag.tasks", equalTo(2))
                .body("dag.params", equalTo(java.util.List.of("day", "shards")))
                .body("spec.tasks", hasSize(2));
        api().get("/api/v1/dags/versions/versions/1")
                .then()
                .statusCode(200)
                .body("version", equalTo(1))
                .body("spec.tasks", hasSize(1));
        api().get("/api/v1/dags/versions/versions/7")
                .then()
                .statusCode(404)
                .contentType(PROBLEM)
                .body("detail", equalTo("DAG 'versions' has versions 1 to 2, not 7"));
        api().get("/api/v1/dags").then().statusCode(200).body("dags.name", hasItem("versions"));
    }

    @Test
    void badDagsAndBadNamesAreRefusedNamingTheProblem() {
        api().body(dag("one"))
                .put("/api/v1/dags/other")
                .then()
                .statusCode(400)
                .contentType(PROBLEM)
                .body("title", equalTo("DAG name mismatch"));
        api().body("name: broken\ntasks: []\n")
                .put("/api/v1/dags/broken")
                .then()
                .statusCode(400)
                .body("errors[0].field", equalTo("tasks"));
        api().body(dag("-x")).put("/api/v1/dags/-x").then().statusCode(400).body("title", equalTo("Invalid DAG name"));
        api().get("/api/v1/dags/nope").then().statusCode(404).body("detail", equalTo("no stored DAG named 'nope'"));
        api().post("/api/v1/dags/nope/runs").then().statusCode(404);
        api().post("/api/v1/dags/nope/pause").then().statusCode(404);
        api().delete("/api/v1/dags/nope").then().statusCode(404);
        given().body(dag("noauth")).put("/api/v1/dags/noauth").then().statusCode(401);
    }

    @Test
    void aTriggeredRunRunsTheLatestVersionWithCheckedParameters() {
        api().body(dag("triggered", "b")).put("/api/v1/dags/triggered").then().statusCode(201);
        api().queryParam("param", "shards=many")
                .post("/api/v1/dags/triggered/runs")
                .then()
                .statusCode(400)
                .body("errors[0].param", equalTo("day"))
                .body("errors[1].param", equalTo("shards"));
        String runId = api().queryParam("param", "day=2026-12-06")
                .post("/api/v1/dags/triggered/runs")
                .then()
                .statusCode(202)
                .body("dag_version", equalTo(1))
                .body("tasks", equalTo(2))
                .extract()
                .path("run_id");
        api().get("/api/v1/runs/" + runId)
                .then()
                .statusCode(200)
                .body("dag", equalTo("triggered"))
                .body("dag_version", equalTo(1))
                .body("trigger", equalTo("manual"))
                .body("params.day", equalTo("2026-12-06"))
                .body("params.shards", equalTo("2"));
        api().get("/api/v1/dags/triggered")
                .then()
                .body("dag.last_run_id", equalTo(runId))
                .body("dag.last_run_status", equalTo("RUNNING"));
        String key = "trigger-key-" + System.nanoTime();
        String keyed = api().header("Idempotency-Key", key)
                .queryParam("param", "day=d")
                .post("/api/v1/dags/triggered/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("run_id");
        api().header("Idempotency-Key", key)
                .queryParam("param", "day=d")
                .post("/api/v1/dags/triggered/runs")
                .then()
                .statusCode(200)
                .body("run_id", equalTo(keyed))
                .body("existing", equalTo(true));
        api().post("/api/v1/dags/triggered/pause").then().statusCode(200);
        api().header("Idempotency-Key", key)
                .queryParam("param", "day=d")
                .post("/api/v1/dags/triggered/runs")
                .then()
                .statusCode(200)
                .body("run_id", equalTo(keyed));
        api().header("Idempotency-Key", key)
                .queryParam("param", "day=other")
                .post("/api/v1/dags/triggered/runs")
                .then()
                .statusCode(422);
        api().post("/api/v1/dags/triggered/unpause").then().statusCode(200);
    }

    @Test
    void aPausedDagStartsNoRunAndADeletedOneKeepsItsVersionsForItsRuns() {
        api().body(dag("lifecycle")).put("/api/v1/dags/lifecycle").then().statusCode(201);
        api().post("/api/v1/dags/lifecycle/pause").then().statusCode(200).body("paused", equalTo(true));
        api().queryParam("param", "day=d")
                .post("/api/v1/dags/lifecycle/runs")
                .then()
                .statusCode(409)
                .body("title", equalTo("DAG paused"));
        api().post("/api/v1/dags/lifecycle/unpause").then().statusCode(200).body("paused", equalTo(false));
        api().delete("/api/v1/dags/lifecycle")
                .then()
                .statusCode(200)
                .body("deleted", equalTo(true))
                .body("versions_kept", equalTo(1));
        api().get("/api/v1/dags/lifecycle").then().statusCode(404);
        api().get("/api/v1/dags/lifecycle/versions/1").then().statusCode(200).body("deleted", equalTo(true));
        api().queryParam("param", "day=d")
                .post("/api/v1/dags/lifecycle/runs")
                .then()
                .statusCode(404);
        api().get("/api/v1/dags").then().statusCode(200).body("dags.name", not(hasItem("lifecycle")));
        api().body(dag("lifecycle"))
                .put("/api/v1/dags/lifecycle")
                .then()
                .statusCode(201)
                .body("version", equalTo(1))
                .body("changed", equalTo(true));
        api().get("/api/v1/dags/lifecycle").then().statusCode(200);
    }

    @Test
    void aBackfillStartsTheWindowsTicksBoundedAndCanBeCancelled() {
        String scheduled = "name: filled\nparams:\n  shards: {type: int, default: 2}\nschedule:\n  every: 1h\n"
                + "  start: 2020-01-01T00:00:00Z\n  paused: true\ntasks:\n  - {name: a, command: 'true'}\n";
        api().body(scheduled).put("/api/v1/dags/filled").then().statusCode(201);
        api().body(dag("unscheduled")).put("/api/v1/dags/unscheduled").then().statusCode(201);
        api().queryParam("from", "2026-01-01")
                .queryParam("to", "2026-01-02")
                .post("/api/v1/dags/unscheduled/backfill")
                .then()
                .statusCode(409)
                .body("detail", containsString("has no schedule"));
        api().queryParam("from", "2026-01-02")
                .queryParam("to", "2026-01-01")
                .post("/api/v1/dags/filled/backfill")
                .then()
                .statusCode(400)
                .body("detail", containsString("is before 'from'"));
        api().queryParam("from", "yesterday")
                .queryParam("to", "2026-01-01")
                .post("/api/v1/dags/filled/backfill")
                .then()
                .statusCode(400)
                .body("detail", containsString("'from' is 'yesterday', not a time"));
        api().queryParam("from", "2026-01-01")
                .queryParam("to", "2099-01-01")
                .post("/api/v1/dags/filled/backfill")
                .then()
                .statusCode(400)
                .body("detail", containsString("in the future"));
        api().queryParam("from", "2020-01-01")
                .queryParam("to", "2026-01-01")
                .post("/api/v1/dags/filled/backfill")
                .then()
                .statusCode(400)
                .body("detail", containsString("more than 10000 ticks"));
        api().queryParam("from", "2026-01-01T00:00:00Z")
                .queryParam("to", "2026-01-01T05:00:00Z")
                .queryParam("param", "shards=x")
                .post("/api/v1/dags/filled/backfill")
                .then()
                .statusCode(400)
                .body("errors[0].param", equalTo("shards"));
        api().get("/api/v1/dags/filled/backfills").then().statusCode(200).body("backfills", hasSize(0));

        int id = api().header("Idempotency-Key", "fill-jan-1")
                .queryParam("from", "2026-01-01T00:00:00Z")
                .queryParam("to", "2026-01-01T05:00:00Z")
                .queryParam("max_parallel", 2)
                .queryParam("param", "shards=3")
                .post("/api/v1/dags/filled/backfill")
                .then()
                .statusCode(202)
                .header("Location", containsString("/api/v1/dags/filled/backfills/1"))
                .body("status", equalTo("RUNNING"))
                .body("ticks", equalTo(6))
                .body("started", equalTo(2))
                .body("running", equalTo(java.util.List.of("filled.20260101T000000Z", "filled.20260101T010000Z")))
                .extract()
                .path("id");
        api().header("Idempotency-Key", "fill-jan-1")
                .queryParam("from", "2026-01-01T00:00:00Z")
                .queryParam("to", "2026-01-01T05:00:00Z")
                .post("/api/v1/dags/filled/backfill")
                .then()
                .statusCode(200)
                .body("id", equalTo(id));
        await("the backfill's first run is readable")
                .atMost(Duration.ofSeconds(30))
                .until(() -> api().get("/api/v1/runs/filled.20260101T000000Z").statusCode() == 200);
        api().get("/api/v1/runs/filled.20260101T000000Z")
                .then()
                .body("trigger", equalTo("backfill"))
                .body("logical_date", equalTo("2026-01-01T00:00:00Z"))
                .body("params.shards", equalTo("3"));
        api().post("/api/v1/dags/filled/backfills/" + id + "/cancel")
                .then()
                .statusCode(200)
                .body("status", equalTo("CANCELLED"));
        await("the backfill's runs are cancelled")
                .atMost(Duration.ofSeconds(30))
                .until(() -> api().get("/api/v1/dags/filled/backfills/" + id)
                                .then()
                                .extract()
                                .<Integer>path("cancelled")
                        == 2);
        api().get("/api/v1/dags/filled/backfills")
                .then()
                .statusCode(200)
                .body("backfills[0].id", equalTo(id))
                .body("backfills[0].started", equalTo(2));
        api().get("/api/v1/dags/filled/backfills/9").then().statusCode(404);
    }

    @Test
    void theOpenApiDocumentNamesTheDagOperations() {
        given().get("/q/openapi")
                .then()
                .statusCode(200)
                .body(containsString("/api/v1/dags/{name}/runs"))
                .body(containsString("/api/v1/dags/{name}/versions/{version}"))
                .body(containsString("/api/v1/dags/{name}/backfill"))
                .body(containsString("/api/v1/dags/{name}/backfills/{id}/cancel"))
                .body(not(containsString("/owned")));
    }
}
