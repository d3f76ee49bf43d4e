package io.dagctl.coordinator.telemetry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.processor.StateRestoreListener;

/**
 * Instruments the coordinator's Kafka Streams client before it starts: its own client metrics ({@code kafka_*}),
 * whether it is running, and how long restoring each state store from its changelog took.
 */
public final class StreamsTelemetry implements Consumer<KafkaStreams>, StateRestoreListener, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(StreamsTelemetry.class.getName());

    private final MeterRegistry registry;
    private final AtomicReference<KafkaStreams> current = new AtomicReference<>();
    private final Map<String, Long> restoreStarts = new ConcurrentHashMap<>();
    private KafkaStreamsMetrics clientMetrics;

    public StreamsTelemetry(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder(
                        "dagctl.coordinator.running",
                        current,
                        ref -> ref.get() != null && ref.get().state() == KafkaStreams.State.RUNNING ? 1 : 0)
                .description(
                        "1 while this coordinator's stream processing is RUNNING (not starting, rebalancing or failed)")
                .register(registry);
    }

    @Override
    public void accept(KafkaStreams streams) {
        current.set(streams);
        streams.setGlobalStateRestoreListener(this);
        closeClientMetrics();
        clientMetrics = new KafkaStreamsMetrics(streams);
        clientMetrics.bindTo(registry);
    }

    @Override
    public void onRestoreStart(TopicPartition partition, String store, long startingOffset, long endingOffset) {
        restoreStarts.put(store + " " + partition, System.nanoTime());
        LOG.log(
                System.Logger.Level.INFO,
                "restoring store {0} of {1}: offsets {2} to {3}",
                store,
                partition,
                startingOffset,
                endingOffset);
    }

    @Override
    public void onBatchRestored(TopicPartition partition, String store, long batchEndOffset, long restored) {
        Counter.builder("dagctl.state.restored.records")
                .description("State records replayed from changelogs")
                .tag("store", store)
                .register(registry)
                .increment(restored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {
        Long start = restoreStarts.remove(store + " " + partition);
        if (start != null) {
            long nanos = System.nanoTime() - start;
            CoordinatorMetrics.timer("dagctl.state.restore", "How long restoring one state store partition took")
                    .tag("store", store)
                    .register(registry)
                    .record(Duration.ofNanos(nanos));
            LOG.log(
                    System.Logger.Level.INFO,
                    "restored store {0} of {1}: {2} records in {3} ms",
                    store,
                    partition,
                    totalRestored,
                    nanos / 1_000_000);
        }
    }

    @Override
    public void close() {
        closeClientMetrics();
    }

    private void closeClientMetrics() {
        if (clientMetrics != null) {
            clientMetrics.close();
            clientMetrics = null;
        }
    }
}
