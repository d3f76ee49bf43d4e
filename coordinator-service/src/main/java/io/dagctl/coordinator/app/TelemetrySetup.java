package io.dagctl.coordinator.app;

import io.dagctl.coordinator.telemetry.PresetIdGenerator;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Gives the OpenTelemetry SDK the id generator that lets run and attempt spans keep ids derived from run state. */
public class TelemetrySetup {

    @Produces
    @Singleton
    PresetIdGenerator idGenerator() {
        return new PresetIdGenerator();
    }
}
