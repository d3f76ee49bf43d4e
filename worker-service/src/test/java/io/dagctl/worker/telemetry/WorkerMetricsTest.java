package io.dagctl.worker.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.TaskType;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class WorkerMetricsTest {

    private static final Instant DISPATCHED = Instant.parse("2026-11-27T10:00:00Z");

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerMetrics metrics = new WorkerMetrics(registry, 2);

    private static TaskDispatched task() {
        return TaskDispatched.of(
                new AttemptId("run", "t", 1),
                TaskType.BASH,
                "true",
                Map.of(),
                Duration.ofMinutes(1),
                10_000,
                DISPATCHED,
                DISPATCHED.plusSeconds(60),
                null);
    }

    private double millis(String timer) {
        return registry.get(timer).timer().totalTime(TimeUnit.MILLISECONDS);
    }

    @Test
    void aSlotFreeBeforeTheDispatchHandsOffFromTheDispatch() {
        metrics.started(task(), DISPATCHED.plusMillis(7), DISPATCHED.minusSeconds(30));

        assertEquals(7, millis("dagctl.worker.pickup.latency"), 1e-9);
        assertEquals(7, millis("dagctl.worker.slot.handoff"), 1e-9);
    }

    @Test
    void anAttemptThatWaitedForASlotHandsOffFromWhenTheSlotFreed() {
        metrics.started(task(), DISPATCHED.plusMillis(2_003), DISPATCHED.plusMillis(2_000));

        assertEquals(2_003, millis("dagctl.worker.pickup.latency"), 1e-9);
        assertEquals(3, millis("dagctl.worker.slot.handoff"), 1e-9);
    }

    @Test
    void aNoopTaskNeedsNoSlotAndAClockBehindTheCoordinatorsCountsAsZero() {
        metrics.started(task(), DISPATCHED.plusMillis(4), null);
        metrics.started(task(), DISPATCHED.minusMillis(5), null);

        assertEquals(2, registry.get("dagctl.worker.slot.handoff").timer().count());
        assertEquals(4, millis("dagctl.worker.slot.handoff"), 1e-9);
    }
}
