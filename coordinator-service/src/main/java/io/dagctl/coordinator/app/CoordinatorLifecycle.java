package io.dagctl.coordinator.app;

import io.dagctl.coordinator.engine.CoordinatorEngine;
import io.dagctl.coordinator.engine.EngineTelemetry;
import io.dagctl.coordinator.engine.OwnedWork;
import io.dagctl.coordinator.telemetry.CoordinatorMetrics;
import io.dagctl.coordinator.telemetry.ObserverPair;
import io.dagctl.coordinator.telemetry.PresetIdGenerator;
import io.dagctl.coordinator.telemetry.RunTracer;
import io.dagctl.coordinator.telemetry.StreamsTelemetry;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.security.SecureRandom;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** Starts the coordinator engine with the application and stops it (leaving the group at once) on shutdown. */
@ApplicationScoped
public class CoordinatorLifecycle {

    private final CoordinatorEngine engine;
    private final StreamsTelemetry streamsTelemetry;
    private final OwnedWork work;

    public CoordinatorLifecycle(
            CoordinatorSettings settings,
            @ConfigProperty(name = "quarkus.http.port") int httpPort,
            MeterRegistry registry,
            OpenTelemetry openTelemetry,
            PresetIdGenerator ids) {
        this.work = new OwnedWork();
        this.streamsTelemetry = new StreamsTelemetry(registry);
        EngineTelemetry telemetry = new EngineTelemetry(
                new ObserverPair(
                        new CoordinatorMetrics(registry, work), new RunTracer(openTelemetry, ids, new SecureRandom())),
                work,
                streamsTelemetry);
        this.engine = new CoordinatorEngine(EngineConfigs.from(settings, httpPort), telemetry);
    }

    void onStart(@Observes StartupEvent event) {
        engine.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        engine.close();
        streamsTelemetry.close();
    }

    public CoordinatorEngine engine() {
        return engine;
    }

    /** The work of the partitions this instance owns now. */
    public OwnedWork work() {
        return work;
    }
}
