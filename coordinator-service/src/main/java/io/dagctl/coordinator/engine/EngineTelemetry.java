package io.dagctl.coordinator.engine;

import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What the engine reports to: an observer of its transitions, the live counts of the work it owns, and a hook that
 * instruments the Kafka Streams client before it starts (client metrics, restore listener).
 */
public record EngineTelemetry(RunObserver observer, OwnedWork ownedWork, Consumer<KafkaStreams> instrumentation) {}
