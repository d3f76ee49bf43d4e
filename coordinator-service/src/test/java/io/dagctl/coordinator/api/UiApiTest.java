package io.dagctl.coordinator.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The web UI's HTTP side in-process, on a real broker: sign-in, the session cookie, CSRF, the security headers, and
 * the reads the run page makes. No worker runs here, so submitted tasks stay queued.
 */
@QuarkusTest
@QuarkusTestResource(EmbeddedKafkaResource.class)
class UiApiTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" content=\"([^\"]+)\"");

    @BeforeEach
    void coordinatorReady() {
        await("coordinator ready")
                .atMost(Duration.ofSeconds(60))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
    }

    private static String signIn() {
        Response r = given().redirects()
                .follow(false)
                .formParam("token", EmbeddedKafkaResource.TOKEN)
                .post("/login");
        r.then().statusCode(303).header("Location", containsString("/"));
        String setCookie = r.getHeader("Set-Cookie");
        assertTrue(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"), setCookie);
        return r.getCookie("dagctl_session");
    }

    private static String csrf(String session) {
        String page = given().cookie("dagctl_session", session)
                .get("/")
                .then()
                .statusCode(200)
                .extract()
                .asString();
        Matcher m = CSRF.matcher(page);
        assertTrue(m.find(), page);
        return m.group(1);
    }

    @Test
    void nothingOfTheUiWithoutASessionAndAWrongTokenIsRefused() {
        given().redirects()
                .follow(false)
                .accept("text/html")
                .get("/")
                .then()
                .statusCode(303)
                .header("Location", containsString("/login"));
        given().get("/ui/app.js").then().statusCode(401);
        given().get("/login")
                .then()
                .statusCode(200)
                .header("Content-Security-Policy", containsString("script-src 'self'"))
                .header("Content-Security-Policy", not(containsString("unsafe-inline")))
                .header("X-Frame-Options", equalTo("DENY"));
        given().formParam("token", "wrong")
                .post("/login")
                .then()
                .statusCode(401)
                .body(containsString("not accepted"));
        given().redirects()
                .follow(false)
                .header("Sec-Fetch-Site", "cross-site")
                .formParam("token", EmbeddedKafkaResource.TOKEN)
                .post("/login")
                .then()
                .statusCode(403);
        given().cookie("dagctl_session", "v1.9999999999.abcdefabcdef.AAAA.AAAA")
                .get("/api/v1/runs")
                .then()
                .statusCode(401);
        // the scheme instances forward a session with: a forged one is refused, and it never writes
        given().header("Authorization", "DagctlSession v1.9999999999.abcdefabcdef.AAAA.AAAA")
                .get("/api/v1/runs")
                .then()
                .statusCode(401);
        String session = signIn();
        given().header("Authorization", "DagctlSession " + session)
                .get("/api/v1/runs")
                .then()
                .statusCode(200);
        given().header("Authorization", "DagctlSession " + session)
                .body("name: x\ntasks: [{name: a, command: 'true'}]")
                .post("/api/v1/runs")
                .then()
                .statusCode(401);
        given().redirects()
                .follow(false)
                .cookie("dagctl_session", "v1.1.abcdefabcdef.AAAA.AAAA")
                .post("/logout")
                .then()
                .statusCode(303);
    }

    @Test
    void aSessionReadsAndWritesWithItsCsrfTokenAndSignsOut() {
        String session = signIn();
        String csrf = csrf(session);
        given().cookie("dagctl_session", session)
                .get("/ui/app.js")
                .then()
                .statusCode(200)
                .contentType(containsString("javascript"));
        given().cookie("dagctl_session", session)
                .get("/ui/..%2Fapplication.properties")
                .then()
                .statusCode(404);
        given().cookie("dagctl_session", session).get("/api/v1/runs").then().statusCode(200);
        String yaml =
                "name: ui\ntasks:\n  - {name: a, command: 'true'}\n  - {name: b, command: 'true', dependencies: [a]}\n";
        given().cookie("dagctl_session", session)
                .body(yaml)
                .post("/api/v1/runs")
                .then()
                .statusCode(403)
                .body("title", equalTo("CSRF check failed"));
        String runId = given().cookie("dagctl_session", session)
                .header("X-CSRF-Token", csrf)
                .body(yaml)
                .post("/api/v1/runs")
                .then()
                .statusCode(202)
                .extract()
                .path("run_id");
        await("the run's tasks exist")
                .atMost(Duration.ofSeconds(30))
                .until(() -> given().cookie("dagctl_session", session)
                                .get("/api/v1/runs/" + runId + "/view")
                                .statusCode()
                        == 200);
        given().cookie("dagctl_session", session)
                .get("/api/v1/runs/" + runId + "/view")
                .then()
                .statusCode(200)
                .body("nodes.size()", equalTo(2))
                .body("edges[0].from", equalTo("a"))
                .body("aggregated", equalTo(false))
                .body("width", greaterThan(0f));
        given().cookie("dagctl_session", session)
                .get("/api/v1/runs/" + runId + "/tasks/a")
                .then()
                .statusCode(200)
                .body("name", equalTo("a"));
        given().cookie("dagctl_session", session)
                .get("/api/v1/runs/" + runId + "/tasks/nope")
                .then()
                .statusCode(404)
                .body("detail", containsString("no task 'nope'"));
        given().cookie("dagctl_session", session)
                .get("/api/v1/runs/" + runId + "/view?expand=../x")
                .then()
                .statusCode(400);
        given().cookie("dagctl_session", session)
                .get("/api/v1/runs/" + runId + "/tasks?sort=duration&limit=1")
                .then()
                .statusCode(200)
                .body("tasks.size()", equalTo(1))
                .body("next_cursor", equalTo("1"));
        given().cookie("dagctl_session", session)
                .get("/api/v1/runs/counts")
                .then()
                .statusCode(200);
        given().cookie("dagctl_session", session)
                .get("/api/v1/cluster")
                .then()
                .statusCode(200)
                .body("coordinators.size()", equalTo(1));

        given().cookie("dagctl_session", session)
                .redirects()
                .follow(false)
                .formParam("csrf", "wrong")
                .post("/logout")
                .then()
                .statusCode(403);
        Response out = given().cookie("dagctl_session", session)
                .redirects()
                .follow(false)
                .formParam("csrf", csrf)
                .post("/logout");
        out.then().statusCode(303);
        assertTrue(out.getHeader("Set-Cookie").contains("Max-Age=0"), out.getHeader("Set-Cookie"));
    }
}
