package io.dagctl.worker.telemetry;

import io.dagctl.core.event.Outcome;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.TaskFinished;
import io.dagctl.core.telemetry.DurationBuckets;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;

/**
 * The worker's {@code dagctl_worker_*} metrics (listed in the README) and its Kafka clients' own metrics. Meters of a
 * fixed label set are registered up front: the per-task path only increments.
 */
public final class WorkerMetrics implements AutoCloseable {

    private final MeterRegistry registry;
    private final AtomicInteger busy = new AtomicInteger();

    /** Slots running an attempt now. */
    public int busySlots() {
        return busy.get();
    }

    private final SlotTime slotTime = new SlotTime();
    private final Counter started;
    private final Timer pickupLatency;
    private final Timer slotHandoff;
    private final Map<Outcome, Counter> finishedByOutcome = new EnumMap<>(Outcome.class);
    private final Map<Outcome, Timer> executionByOutcome = new EnumMap<>(Outcome.class);
    private final Map<String, Counter> skippedByReason = new HashMap<>();
    private final Map<String, Counter> deadLettersByTopic = new ConcurrentHashMap<>();
    private final List<KafkaClientMetrics> clientMetrics = new ArrayList<>();

    public WorkerMetrics(MeterRegistry registry, int slots) {
        this.registry = registry;
        Gauge.builder("dagctl.worker.slots", () -> slots)
                .description("Task slots of this worker")
                .register(registry);
        Gauge.builder("dagctl.worker.slots.busy", busy, AtomicInteger::get)
                .description("Slots running a task now")
                .register(registry);
        Gauge.builder("dagctl.worker.slots.idle", busy, b -> slots - b.get())
                .description("Slots free now")
                .register(registry);
        Gauge.builder("dagctl.worker.utilisation", busy, b -> (double) b.get() / slots)
                .baseUnit("ratio")
                .description("Busy slots / slots, now; use rate(dagctl_worker_busy_slot_seconds_total) / slots"
                        + " over a window")
                .register(registry);
        FunctionCounter.builder("dagctl.worker.busy.slot", slotTime, SlotTime::busySeconds)
                .baseUnit("seconds")
                .description("Slot-seconds spent running tasks")
                .register(registry);
        started = Counter.builder("dagctl.worker.tasks.started")
                .description("Attempts this worker started")
                .register(registry);
        pickupLatency = timer(
                        "dagctl.worker.pickup.latency",
                        "From dispatch (coordinator clock) to the process start on this worker")
                .register(registry);
        slotHandoff = timer(
                        "dagctl.worker.slot.handoff",
                        "From when this worker could start an attempt (dispatched, coordinator clock, and a slot"
                                + " free) to its process start: pickup latency without the wait for a free slot")
                .register(registry);
        for (Outcome outcome : Outcome.values()) {
            String label = outcome.name().toLowerCase(Locale.ROOT);
            finishedByOutcome.put(
                    outcome,
                    Counter.builder("dagctl.worker.tasks.finished")
                            .description("Attempts this worker finished, by outcome")
                            .tag("outcome", label)
                            .register(registry));
            executionByOutcome.put(
                    outcome,
                    timer("dagctl.worker.task.execution", "How long task processes ran, by outcome")
                            .tag("outcome", label)
                            .register(registry));
        }
        for (String reason : List.of("stale", "cancelled", "duplicate", "taken_before")) {
            skippedByReason.put(
                    reason,
                    Counter.builder("dagctl.worker.dispatches.skipped")
                            .description("Dispatch records not run, by reason")
                            .tag("reason", reason)
                            .register(registry));
        }
    }

    private static Timer.Builder timer(String name, String description) {
        Duration[] bounds = DurationBuckets.bounds();
        return Timer.builder(name)
                .description(description)
                .serviceLevelObjectives(bounds)
                .minimumExpectedValue(bounds[0])
                .maximumExpectedValue(bounds[bounds.length - 1]);
    }

    /** Exports the dispatch consumer's metrics ({@code kafka_consumer_*}, its lag among them). */
    public void bindConsumer(Consumer<?, ?> consumer) {
        bind(new KafkaClientMetrics(consumer));
    }

    /** Exports the result producer's metrics ({@code kafka_producer_*}). */
    public void bindProducer(Producer<?, ?> producer) {
        bind(new KafkaClientMetrics(producer));
    }

    private void bind(KafkaClientMetrics binder) {
        binder.bindTo(registry);
        clientMetrics.add(binder);
    }

    public void busySlots(int now) {
        busy.set(now);
        slotTime.changed(now);
    }

    /** An attempt started; {@code slotFreeSince} is null for a noop task, which needs no slot, or when unknown. */
    public void started(TaskDispatched task, Instant startedAt, Instant slotFreeSince) {
        started.increment();
        pickupLatency.record(nonNegative(Duration.between(task.dispatchedAt(), startedAt)));
        Instant couldStartAt = slotFreeSince != null && slotFreeSince.isAfter(task.dispatchedAt())
                ? slotFreeSince
                : task.dispatchedAt();
        slotHandoff.record(nonNegative(Duration.between(couldStartAt, startedAt)));
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    public void finished(TaskFinished result) {
        finishedByOutcome.get(result.outcome()).increment();
        if (result.startedAt() != null && result.endedAt() != null) {
            executionByOutcome.get(result.outcome()).record(Duration.between(result.startedAt(), result.endedAt()));
        }
    }

    /** A dispatch record not run: {@code stale} (past its start deadline) or {@code cancelled}. */
    public void skipped(String reason) {
        Counter counter = skippedByReason.get(reason);
        if (counter == null) {
            throw new IllegalArgumentException(
                    "unknown skip reason " + reason + "; known: " + skippedByReason.keySet());
        }
        counter.increment();
    }

    public void deadLetter(String sourceTopic) {
        deadLettersByTopic
                .computeIfAbsent(
                        sourceTopic,
                        topic -> Counter.builder("dagctl.dlq.records")
                                .description("Records that could not be read, sent to the dead-letter topic")
                                .tag("source_topic", topic)
                                .register(registry))
                .increment();
    }

    @Override
    public void close() {
        clientMetrics.forEach(KafkaClientMetrics::close);
        clientMetrics.clear();
    }
}
