package io.dagctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunReport;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A dispatch does not wait for the coordinator's commit interval: the result that makes a task ready asks for an
 * early commit, so a chain's hop costs milliseconds even when the interval is long. With a 30 s interval and no early
 * commit, each hop below would wait 15 s on average.
 */
class EarlyCommitIT {

    @Test
    void chainHopsDoNotWaitForTheCommitInterval() throws Exception {
        try (TestCluster cluster = new TestCluster(1, 1, Map.of(
                "DAGCTL_COORDINATOR_COMMIT_INTERVAL", "30s",
                "DAGCTL_COORDINATOR_TRANSACTION_TIMEOUT", "120s"))) {
            RunReport report = cluster.api().awaitEnd(cluster.api().submit("""
                    name: early-commit
                    tasks:
                      - {name: a, command: "true"}
                      - {name: b, command: "true", dependencies: [a]}
                      - {name: c, command: "true", dependencies: [b]}
                      - {name: d, command: "true", dependencies: [c]}
                      - {name: e, command: "true", dependencies: [d]}
                    """), Duration.ofSeconds(120));
            assertEquals(RunStatus.SUCCESS, report.status());
            assertTrue(report.durationMs() < 15_000,
                    "five hops took " + report.durationMs() + " ms: dispatches waited for the 30 s commit interval");
        }
    }
}
