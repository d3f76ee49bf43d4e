package io.dagctl.coordinator.app;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.util.Set;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the Kafka Streams application is RUNNING: it owns partitions and its state is restored. Alive unless the
 * Kafka Streams client has died (ERROR, or stopped while the application runs): then only a restart brings the
 * instance back. Starting, restoring and rebalancing are alive (and not ready).
 */
@ApplicationScoped
public class CoordinatorHealth {

    private static final Set<String> DEAD = Set.of("ERROR", "PENDING_ERROR", "NOT_RUNNING", "PENDING_SHUTDOWN");

    private final CoordinatorLifecycle lifecycle;

    public CoordinatorHealth(CoordinatorLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Produces
    @Liveness
    HealthCheck streamsAlive() {
        return () -> {
            String state = lifecycle.engine().state();
            return HealthCheckResponse.named("coordinator-streams-alive")
                    .status(!DEAD.contains(state))
                    .withData("state", state)
                    .build();
        };
    }

    @Produces
    @Readiness
    HealthCheck streamsRunning() {
        return () -> HealthCheckResponse.named("coordinator-streams")
                .status(lifecycle.engine().isRunning())
                .withData("state", lifecycle.engine().state())
                .build();
    }
}
