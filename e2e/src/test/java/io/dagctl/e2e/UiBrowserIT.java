package io.dagctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.interactions.Actions;

/**
 * The web UI in a real browser (Debian's Chromium) against a real local cluster of two coordinators, a worker and a
 * broker: signing in, a run appearing and changing colour live, a log followed live, cancel and retry, the trigger
 * form's checks, and the keyboard alone. Screenshots go to {@code target/screenshots}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UiBrowserIT {

    private static final Duration LIVE = Duration.ofSeconds(30);

    private TestCluster cluster;
    private Browser browser;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        Browser.requireChromium();
        cluster = new TestCluster(4, 2, Map.of());
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @BeforeEach
    void openBrowser() {
        browser = new Browser(cluster.api().base());
    }

    @AfterEach
    void closeBrowser() {
        browser.close();
    }

    @Test
    void aWrongTokenIsRefusedAndNothingLoadsWithoutSigningIn() throws Exception {
        browser.open("/");
        browser.await(LIVE, d -> d.getCurrentUrl().endsWith("/login"));
        for (String path : new String[] {"/ui/app.js", "/api/v1/runs", "/api/v1/cluster"}) {
            HttpResponse<String> r = http.send(
                    HttpRequest.newBuilder(URI.create(cluster.api().base() + path))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, r.statusCode(), path + " answered without a session: " + r.body());
        }
        HttpResponse<String> login = http.send(
                HttpRequest.newBuilder(URI.create(cluster.api().base() + "/login"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        String csp = login.headers().firstValue("Content-Security-Policy").orElse("");
        assertTrue(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), csp);

        browser.signIn("not-the-token");
        String error =
                browser.await(LIVE, d -> d.findElement(By.id("login-error")).getText());
        assertTrue(error.contains("not accepted"), error);
        assertTrue(browser.driver.getCurrentUrl().endsWith("/login"));
        assertTrue(browser.driver.manage().getCookieNamed("dagctl_session") == null);

        browser.signIn(cluster.token);
        browser.await(LIVE, d -> "true".equals(d.findElement(By.id("main")).getDomAttribute("data-ready")));
        var cookie = browser.driver.manage().getCookieNamed("dagctl_session");
        assertTrue(cookie.isHttpOnly(), "the session cookie is HttpOnly");
        assertEquals("Strict", cookie.getSameSite());

        // the session is a signed cookie: the other coordinator instance accepts it too
        browser.driver.get(cluster.api(1).base() + "/#/cluster");
        browser.await(
                LIVE,
                d -> d.findElements(By.cssSelector("#coordinators tbody tr")).size() == 2);

        // a write without the page's CSRF token is refused even with the cookie
        HttpResponse<String> forged = http.send(
                HttpRequest.newBuilder(URI.create(cluster.api().base() + "/api/v1/runs"))
                        .header("Cookie", "dagctl_session=" + cookie.getValue())
                        .POST(HttpRequest.BodyPublishers.ofString("name: x\ntasks: [{name: a, command: 'true'}]"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(403, forged.statusCode(), forged.body());

        browser.driver.findElement(By.cssSelector(".signout button")).click();
        browser.await(LIVE, d -> d.getCurrentUrl().endsWith("/login"));
        browser.open("/");
        browser.await(LIVE, d -> d.getCurrentUrl().endsWith("/login"));
    }

    @Test
    void aSubmittedRunAppearsAndItsNodesChangeColourAsTasksFinish() throws Exception {
        browser.signIn(cluster.token);
        browser.await(LIVE, d -> d.findElement(By.id("runs-body")).isDisplayed());
        String runId = cluster.api().submit("""
                name: ui_colours
                tasks:
                  - {name: first, command: "sleep 2"}
                  - {name: second, command: "sleep 1", dependencies: [first]}
                  - {name: fan, command: "echo {{ item }}", for_each: [1, 2, 3], dependencies: [first]}
                """);
        long submitted = System.nanoTime();
        browser.await(
                LIVE,
                d -> !d.findElements(By.cssSelector("tr[data-run='" + runId + "']"))
                        .isEmpty());
        long appearedMs = (System.nanoTime() - submitted) / 1_000_000;
        assertTrue(appearedMs < 5_000, "the run appeared in the list after " + appearedMs + " ms");
        browser.screenshot("runs-list");

        browser.driver
                .findElement(By.cssSelector("tr[data-run='" + runId + "'] a"))
                .click();
        By first = By.cssSelector("#graph .node[data-id='first']");
        browser.await(LIVE, d -> "RUNNING".equals(d.findElement(first).getDomAttribute("data-status")));
        assertEquals("PENDING", browser.attribute(By.cssSelector("#graph .node[data-id='second']"), "data-status"));
        browser.await(
                LIVE,
                d -> "SUCCESS"
                        .equals(d.findElement(By.cssSelector("#run-status")).getDomAttribute("data-status")));
        assertEquals("SUCCESS", browser.attribute(first, "data-status"));
        assertEquals("SUCCESS", browser.attribute(By.cssSelector("#graph .node[data-id='second']"), "data-status"));
        WebElement fan = browser.driver.findElement(By.cssSelector("#graph .node[data-id='fan']"));
        assertEquals("MAPPED", fan.getDomAttribute("data-kind"));
        assertTrue(fan.getDomAttribute("aria-label").contains("3 success"), fan.getDomAttribute("aria-label"));
        browser.screenshot("run-graph");

        browser.driver.findElement(By.id("tab-timeline")).click();
        browser.await(LIVE, d -> d.findElements(By.cssSelector("#gantt .bar")).size() >= 3);
        browser.screenshot("run-timeline");
    }

    @Test
    void theLogPanelShowsLinesAsTheTaskPrintsThem() throws Exception {
        browser.signIn(cluster.token);
        String runId = cluster.api().submit("""
                name: ui_log
                tasks:
                  - {name: talker, command: "echo first-line; sleep 4; echo second-line; sleep 2"}
                """);
        browser.open("/#/runs/" + runId);
        By node = By.cssSelector("#graph .node[data-id='talker']");
        browser.await(LIVE, d -> "RUNNING".equals(d.findElement(node).getDomAttribute("data-status")));
        browser.driver.findElement(node).click();
        browser.await(LIVE, d -> d.findElement(By.id("task-log")).getText().contains("first-line"));
        assertFalse(browser.driver.findElement(By.id("task-log")).getText().contains("second-line"));
        assertEquals(
                "RUNNING", browser.attribute(By.id("task-status"), "data-status"), "the log was read while it ran");
        browser.await(LIVE, d -> d.findElement(By.id("task-log")).getText().contains("second-line"));
        browser.await(
                LIVE, d -> "SUCCESS".equals(d.findElement(By.id("task-status")).getDomAttribute("data-status")));
        browser.screenshot("task-panel");
    }

    @Test
    void cancelAndRetryChangeTheRun() throws Exception {
        browser.signIn(cluster.token);
        String runId = cluster.api().submit("""
                name: ui_cancel
                tasks:
                  - {name: long, command: "sleep 60"}
                """);
        browser.open("/#/runs/" + runId);
        By node = By.cssSelector("#graph .node[data-id='long']");
        browser.await(LIVE, d -> "RUNNING".equals(d.findElement(node).getDomAttribute("data-status")));
        browser.driver.findElement(By.id("cancel-run")).click();
        // the confirmation's default button keeps the run; confirming is a second, deliberate choice
        browser.await(LIVE, d -> d.findElement(By.cssSelector("dialog[open] button.danger")))
                .click();
        browser.await(
                LIVE, d -> "CANCELLED".equals(d.findElement(By.id("run-status")).getDomAttribute("data-status")));
        assertEquals("CANCELLED", browser.attribute(node, "data-status"));

        browser.await(LIVE, d -> {
                    WebElement retry = d.findElement(By.id("retry-run"));
                    return retry.isEnabled() ? retry : null;
                })
                .click();
        browser.await(LIVE, d -> d.findElement(By.cssSelector("dialog[open] .buttons button:last-child")))
                .click();
        browser.await(LIVE, d -> "RUNNING".equals(d.findElement(node).getDomAttribute("data-status")));
        assertEquals(
                2,
                cluster.api()
                        .get(runId)
                        .body()
                        .get("tasks")
                        .get(0)
                        .get("attempts")
                        .asInt());
        cluster.api().post("/api/v1/runs/" + runId + "/cancel");
    }

    @Test
    void theTriggerFormRefusesAWrongParamType() throws Exception {
        assertEquals(200, cluster.api().put("/api/v1/dags/ui_params", """
                name: ui_params
                params:
                  count: {type: int, default: 1}
                  label: {type: string, default: x}
                tasks:
                  - {name: show, command: "echo $DAGCTL_PARAM_COUNT"}
                """).status() / 100 * 100);
        browser.signIn(cluster.token);
        browser.open("/#/dags/ui_params");
        WebElement count = browser.await(LIVE, d -> d.findElement(By.id("param-count")));
        count.sendKeys("three");
        browser.driver
                .findElement(By.cssSelector("#trigger button[type=submit]"))
                .click();
        String error = browser.await(LIVE, d -> {
            String text = d.findElement(By.id("param-count-error")).getText();
            return text.isEmpty() ? null : text;
        });
        assertTrue(error.contains("whole number"), error);
        assertEquals("true", count.getDomAttribute("aria-invalid"));
        assertEquals(
                0,
                cluster.api()
                        .send(cluster.api()
                                .request("/api/v1/runs?dag=ui_params")
                                .GET()
                                .build())
                        .body()
                        .get("runs")
                        .size(),
                "nothing was triggered");
        browser.screenshot("dag-page");

        count.clear();
        count.sendKeys("3");
        browser.driver
                .findElement(By.cssSelector("#trigger button[type=submit]"))
                .click();
        browser.await(LIVE, d -> d.getCurrentUrl().contains("#/runs/"));
        browser.await(
                LIVE, d -> "SUCCESS".equals(d.findElement(By.id("run-status")).getDomAttribute("data-status")));
    }

    @Test
    void thePagesWorkWithTheKeyboardAlone() throws Exception {
        String runId = cluster.api().submit("""
                name: ui_keys
                tasks:
                  - {name: only, command: "echo by-keyboard"}
                """);
        cluster.api().awaitEnd(runId, LIVE);
        browser.open("/login");
        new Actions(browser.driver).sendKeys(cluster.token).sendKeys(Keys.ENTER).perform();
        browser.await(
                LIVE,
                d -> !d.findElements(By.cssSelector("tr[data-run='" + runId + "']"))
                        .isEmpty());
        tabUntil("tr[data-run='" + runId + "']", 60);
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        browser.await(LIVE, d -> d.getCurrentUrl().contains("#/runs/" + runId));
        browser.await(
                LIVE,
                d -> !d.findElements(By.cssSelector("#graph .node[data-id='only']"))
                        .isEmpty());
        tabUntil("#graph .node[data-id='only']", 40);
        new Actions(browser.driver).sendKeys(Keys.ENTER).perform();
        browser.await(LIVE, d -> d.findElement(By.id("task-log")).getText().contains("by-keyboard"));
        browser.driver.findElement(By.cssSelector("#task-panel button")).sendKeys(Keys.ESCAPE);
        browser.await(LIVE, d -> d.findElements(By.id("task-panel")).isEmpty());
    }

    /** Presses Tab until the focused element matches {@code css}; fails after {@code max} presses. */
    private void tabUntil(String css, int max) {
        for (int i = 0; i < max; i++) {
            new Actions(browser.driver).sendKeys(Keys.TAB).perform();
            Object match = browser.driver.executeScript(
                    "return document.activeElement && document.activeElement.matches(arguments[0]);", css);
            if (Boolean.TRUE.equals(match)) {
                return;
            }
        }
        throw new AssertionError("Tab never reached " + css + " in " + max + " presses");
    }
}
