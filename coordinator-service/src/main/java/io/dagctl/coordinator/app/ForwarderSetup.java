package io.dagctl.coordinator.app;

import io.dagctl.coordinator.query.OwnerForwarder;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** One HTTP client for every request an instance forwards to another (a run's owner, a peer's listing). */
public class ForwarderSetup {

    @Produces
    @Singleton
    OwnerForwarder ownerForwarder(CoordinatorSettings settings) {
        return new OwnerForwarder(settings.coordinator().advertisedScheme());
    }
}
