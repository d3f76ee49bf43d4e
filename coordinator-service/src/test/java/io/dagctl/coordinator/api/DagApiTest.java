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
    void theOpenApiDocumentNamesTheDagOperations() {
        given().get("/q/openapi")
                .then()
                .statusCode(200)
                .body(containsString("/api/v1/dags/{name}/runs"))
                .body(containsString("/api/v1/dags/{name}/versions/{version}"))
                .body(not(containsString("/owned")));
    }
}
