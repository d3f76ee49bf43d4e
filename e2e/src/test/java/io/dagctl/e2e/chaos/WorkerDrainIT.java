package io.dagctl.e2e.chaos;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.model.RunStatus;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.TaskReport;
import io.dagctl.e2e.ManagedProcess;
import io.dagctl.e2e.ProcessCluster;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * SIGTERM to a worker, as a Kubernetes scale-down sends it: it takes no more work, lets short tasks finish, stops and
 * releases the long ones after its grace period, and exits; the released tasks run again on the other worker.
 */
class WorkerDrainIT {

    @Test
    void aTerminatedWorkerFinishesShortTasksAndReleasesLongOnes() throws Exception {
        Path dir = Files.createTempDirectory("dagctl-drain-");
        try (ProcessCluster cluster = new ProcessCluster(dir, 1)) {
            cluster.startBrokers();
            cluster.addCoordinator();
            ManagedProcess draining = cluster.addWorker(4, "5s");
            ProcessCluster.awaitReady(cluster.apiUrls.get(0), Duration.ofSeconds(120));
            String runId = ChaosApi.submit(cluster.apiUrls.get(0), """
                    name: drain
                    tasks:
                      - {name: short_1, command: "sleep 2"}
                      - {name: short_2, command: "sleep 2"}
                      - {name: long_1, command: "sleep 40"}
                      - {name: long_2, command: "sleep 40"}
                    """);
            awaitRunning(cluster, runId, 4);
            cluster.addWorker(4, "30s");
            Thread.sleep(8000); // the second worker joins the group
            Instant terminated = Instant.now();
            draining.stop();
            long exitSeconds = Duration.between(terminated, Instant.now()).toSeconds();
            assertTrue(exitSeconds < 25, "the worker exited " + exitSeconds + " s after SIGTERM (grace 5 s)");
            RunReport end = await("run " + runId + " to end")
                    .atMost(Duration.ofSeconds(150))
                    .pollInterval(Duration.ofMillis(500))
                    .until(
                            () -> ChaosApi.report(cluster.apiUrls.get(0), runId),
                            r -> r.isPresent() && r.get().status().isTerminal())
                    .orElseThrow();
            assertEquals(RunStatus.SUCCESS, end.status());
            for (TaskReport task : end.tasks()) {
                assertEquals(TaskStatus.SUCCESS, task.status());
                if (task.name().startsWith("short")) {
                    assertEquals("w0", task.workerId(), "short tasks finished on the draining worker");
                } else {
                    assertEquals("w1", task.workerId(), "long tasks were released and ran again elsewhere");
                }
            }
        }
    }

    private static void awaitRunning(ProcessCluster cluster, String runId, int tasks) {
        await(tasks + " tasks of " + runId + " running at once")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(
                        () -> ChaosApi.report(cluster.apiUrls.get(0), runId),
                        report -> report.isPresent()
                                && report.get().tasks().stream()
                                                .filter(t -> t.status() == TaskStatus.RUNNING)
                                                .count()
                                        >= tasks);
    }
}
