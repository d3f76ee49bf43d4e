package io.dagctl.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.worker.exec.MarkedSleep;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A worker killed with SIGKILL leaves no process of its tasks behind: its keeper stops them all. */
class ProcessCleanupIT {

    @Test
    void aWorkerKilledWithSigkillLeavesNoTaskProcessBehind() throws Exception {
        MarkedSleep task = new MarkedSleep();
        MarkedSleep child = new MarkedSleep();
        MarkedSleep escaped = new MarkedSleep();
        try (TestCluster cluster = new TestCluster(2)) {
            cluster.api()
                    .submit("name: long\ntasks:\n  - {name: t, command: '" + child.command() + " & (setsid "
                            + escaped.command() + " >/dev/null 2>&1 &); " + task.command() + "'}\n");
            assertTrue(task.awaitRunning(1, Duration.ofSeconds(60)), "the task started");
            assertTrue(
                    child.awaitRunning(1, Duration.ofSeconds(10)) && escaped.awaitRunning(1, Duration.ofSeconds(10)));
            cluster.worker().kill();
            assertTrue(task.awaitGone(Duration.ofSeconds(15)), "the task's main process outlived its worker");
            assertTrue(child.awaitGone(Duration.ofSeconds(15)), "the task's child outlived its worker");
            assertTrue(
                    escaped.awaitGone(Duration.ofSeconds(15)), "the process that left the group outlived its worker");
        }
    }
}
