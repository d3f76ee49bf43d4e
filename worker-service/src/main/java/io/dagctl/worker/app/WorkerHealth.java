package io.dagctl.worker.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Live while the dispatch poll loop goes round (a stuck loop takes no work and answers no rebalance: restart it);
 * ready once its consumer holds dispatch partitions, i.e. it is connected to Kafka and takes work.
 */
@ApplicationScoped
public class WorkerHealth {

    private static final Duration STUCK_AFTER = Duration.ofSeconds(60);

    private final WorkerLifecycle lifecycle;

    public WorkerHealth(WorkerLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Produces
    @Liveness
    HealthCheck pollLoop() {
        return () -> {
            boolean started = lifecycle.engine() != null;
            return HealthCheckResponse.named("worker-poll-loop")
                    .status(!started || lifecycle.engine().isPolling(STUCK_AFTER))
                    .withData("started", started)
                    .build();
        };
    }

    @Produces
    @Readiness
    HealthCheck assignment() {
        return () -> {
            int partitions = lifecycle.engine() == null ? 0 : lifecycle.engine().assignedPartitions();
            return HealthCheckResponse.named("worker-dispatch-partitions")
                    .status(partitions > 0)
                    .withData("assigned_partitions", partitions)
                    .build();
        };
    }
}
