package io.dagctl.coordinator.app;

import io.dagctl.core.telemetry.OtelSettings;
import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Reads the standard {@code OTEL_*} variables and turns trace export off when no endpoint is configured
 * ({@link OtelSettings}). Ordinal 260: above application.properties, below {@code QUARKUS_*} variables and -D options.
 */
public class OtelConfigSource implements ConfigSource {

    private final Map<String, String> values = OtelSettings.ofThisProcess();

    @Override
    public Set<String> getPropertyNames() {
        return values.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return values.get(propertyName);
    }

    @Override
    public String getName() {
        return "dagctl-otel-environment";
    }

    @Override
    public int getOrdinal() {
        return 260;
    }
}
