package io.dagctl.core.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OtelSettingsTest {

    @Test
    void exportingIsOffWithoutAnEndpoint() {
        assertEquals("true", OtelSettings.derive(Map.of(), Map.of()).get("quarkus.otel.sdk.disabled"));
    }

    @Test
    void theStandardEndpointVariableTurnsItOnAndIsPassedOn() {
        Map<String, String> derived = OtelSettings.derive(
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://jaeger:4318", "OTEL_TRACES_SAMPLER_ARG", "0.25"),
                Map.of());
        assertEquals("false", derived.get("quarkus.otel.sdk.disabled"));
        assertEquals("http://jaeger:4318", derived.get("quarkus.otel.exporter.otlp.endpoint"));
        assertEquals("0.25", derived.get("quarkus.otel.traces.sampler.arg"));
    }

    @Test
    void anEndpointUnderItsQuarkusNameTurnsItOnToo() {
        assertEquals(
                "false",
                OtelSettings.derive(Map.of("QUARKUS_OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://c:4318"), Map.of())
                        .get("quarkus.otel.sdk.disabled"));
        assertEquals(
                "false",
                OtelSettings.derive(Map.of(), Map.of("quarkus.otel.exporter.otlp.endpoint", "http://c:4318"))
                        .get("quarkus.otel.sdk.disabled"));
    }

    @Test
    void anExplicitSwitchWins() {
        assertEquals(
                "true",
                OtelSettings.derive(
                                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://c:4318", "OTEL_SDK_DISABLED", "true"),
                                Map.of())
                        .get("quarkus.otel.sdk.disabled"));
    }
}
