package io.dagctl.coordinator.api;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the Kafka Streams application is RUNNING: it owns partitions and its state is restored. */
@Readiness
@ApplicationScoped
public class EngineReadiness implements HealthCheck {

    private final EngineLifecycle lifecycle;

    public EngineReadiness(EngineLifecycle lifecycle) {
        this.lifecycle = lifecycle;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("coordinator-streams")
                .status(lifecycle.engine().isRunning())
                .withData("state", lifecycle.engine().state())
                .build();
    }
}
