package io.dagctl.coordinator.api;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive unless the Kafka Streams client has died (ERROR, or stopped while the application runs): then only a restart
 * brings the instance back. Starting, restoring and rebalancing are alive (and not ready).
 */
@Liveness
@ApplicationScoped
public class EngineLiveness implements HealthCheck {

    private static final Set<String> DEAD = Set.of("ERROR", "PENDING_ERROR", "NOT_RUNNING", "PENDING_SHUTDOWN");

    private final EngineLifecycle lifecycle;

    public EngineLiveness(EngineLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        String state = lifecycle.engine().state();
        return HealthCheckResponse.named("coordinator-streams-alive").status(!DEAD.contains(state))
                .withData("state", state).build();
    }
}
