package io.dagctl.core.telemetry;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The standard OpenTelemetry environment variables ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code OTEL_SERVICE_NAME},
 * ...) as the Quarkus settings they mean, and the rule that exporting is off unless an endpoint is configured:
 * without a collector the exporter would only log connection errors.
 */
public final class OtelSettings {

    private static final Map<String, String> STANDARD_TO_QUARKUS = Map.of(
            "OTEL_EXPORTER_OTLP_ENDPOINT", "quarkus.otel.exporter.otlp.endpoint",
            "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "quarkus.otel.exporter.otlp.traces.endpoint",
            "OTEL_EXPORTER_OTLP_PROTOCOL", "quarkus.otel.exporter.otlp.protocol",
            "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL", "quarkus.otel.exporter.otlp.traces.protocol",
            "OTEL_EXPORTER_OTLP_HEADERS", "quarkus.otel.exporter.otlp.headers",
            "OTEL_TRACES_SAMPLER_ARG", "quarkus.otel.traces.sampler.arg",
            "OTEL_SERVICE_NAME", "quarkus.otel.service.name",
            "OTEL_RESOURCE_ATTRIBUTES", "quarkus.otel.resource.attributes",
            "OTEL_SDK_DISABLED", "quarkus.otel.sdk.disabled");

    private static final String[] ENDPOINT_KEYS = {
        "quarkus.otel.exporter.otlp.endpoint", "quarkus.otel.exporter.otlp.traces.endpoint"
    };

    private OtelSettings() {}

    /** {@link #derive} for this process's environment and system properties. */
    public static Map<String, String> ofThisProcess() {
        Map<String, String> properties = new HashMap<>();
        System.getProperties().forEach((k, v) -> properties.put(String.valueOf(k), String.valueOf(v)));
        return derive(System.getenv(), properties);
    }

    /**
     * Quarkus settings derived from the environment and system properties; settings given under their Quarkus names
     * (environment {@code QUARKUS_OTEL_*} or {@code -Dquarkus.otel.*}) take precedence over these.
     */
    public static Map<String, String> derive(Map<String, String> environment, Map<String, String> systemProperties) {
        Map<String, String> derived = new HashMap<>();
        STANDARD_TO_QUARKUS.forEach((variable, key) -> {
            String value = environment.get(variable);
            if (value != null && !value.isBlank()) {
                derived.put(key, value);
            }
        });
        boolean endpointConfigured = false;
        for (String key : ENDPOINT_KEYS) {
            String envName = key.toUpperCase(Locale.ROOT).replace('.', '_');
            endpointConfigured |= derived.containsKey(key)
                    || notBlank(environment.get(envName))
                    || notBlank(systemProperties.get(key));
        }
        derived.putIfAbsent("quarkus.otel.sdk.disabled", String.valueOf(!endpointConfigured));
        return derived;
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}
