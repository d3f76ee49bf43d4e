package io.dagctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunReport;
import io.dagctl.worker.exec.MarkedSleep;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What workers wait for does not wait for the coordinator's commit interval: a dispatch or a cancel asks for an early
 * commit. The interval here is 120 s and the whole class runs well inside the first one, so without early commits no
 * dispatch after the first and no cancel would reach a worker before these tests time out.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EarlyCommitIT {

    private TestCluster cluster;

    @BeforeAll
    void start() throws Exception {
        cluster = new TestCluster(
                1,
                1,
                Map.of(
                        "DAGCTL_COORDINATOR_COMMIT_INTERVAL", "120s",
                        "DAGCTL_COORDINATOR_TRANSACTION_TIMEOUT", "300s"));
    }

    @AfterAll
    void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void chainHopsDoNotWaitForTheCommitInterval() throws Exception {
        RunReport report = cluster.api().awaitEnd(cluster.api().submit("""
                name: early-commit
                tasks:
                  - {name: a, command: "true"}
                  - {name: b, command: "true", dependencies: [a]}
                  - {name: c, command: "true", dependencies: [b]}
                  - {name: d, command: "true", dependencies: [c]}
                  - {name: e, command: "true", dependencies: [d]}
                """), Duration.ofSeconds(60));
        assertEquals(RunStatus.SUCCESS, report.status());
        assertTrue(
                report.durationMs() < 15_000,
                "five hops took " + report.durationMs() + " ms: dispatches waited for the commit interval");
    }

    @Test
    void aCancelReachesTheWorkerWithoutWaitingForTheCommitInterval() throws Exception {
        MarkedSleep sleep = new MarkedSleep();
        String runId = cluster.api().submit("""
                name: early-cancel
                tasks:
                  - {name: sleeper, command: "%s"}
                """.formatted(sleep.command()));
        cluster.api().awaitRunning(runId, "sleeper", Duration.ofSeconds(60));
        assertTrue(sleep.awaitRunning(1, Duration.ofSeconds(10)), "the task's process runs");
        assertEquals(
                202, cluster.api().post("/api/v1/runs/" + runId + "/cancel").status());
        assertTrue(
                sleep.awaitGone(Duration.ofSeconds(10)),
                "the cancelled task's process still runs: the stop waited for the commit interval");
    }
}
