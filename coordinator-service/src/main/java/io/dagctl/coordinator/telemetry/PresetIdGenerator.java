package io.dagctl.coordinator.telemetry;

import io.opentelemetry.sdk.trace.IdGenerator;
import java.util.function.Supplier;

/**
 * The tracer's id generator: random ids, except for spans the coordinator builds with ids it derived from a run's
 * state ({@link TraceContext}). The OpenTelemetry API has no way to give a span its id; this is the SDK's hook for it.
 */
public final class PresetIdGenerator implements IdGenerator {

    private final IdGenerator random = IdGenerator.random();
    private final ThreadLocal<String[]> preset = new ThreadLocal<>();

    /** Runs {@code start} (which starts one span) so that the span gets these ids. */
    public <T> T withIds(String traceId, String spanId, Supplier<T> start) {
        preset.set(new String[] {traceId, spanId});
        try {
            return start.get();
        } finally {
            preset.remove();
        }
    }

    @Override
    public String generateSpanId() {
        String preset = take(1);
        return preset != null ? preset : random.generateSpanId();
    }

    @Override
    public String generateTraceId() {
        String preset = take(0);
        return preset != null ? preset : random.generateTraceId();
    }

    /** The preset id at {@code index} (0 trace, 1 span), once; null when none is set. */
    private String take(int index) {
        String[] ids = preset.get();
        if (ids == null) {
            return null;
        }
        String id = ids[index];
        ids[index] = null;
        return id;
    }
}
