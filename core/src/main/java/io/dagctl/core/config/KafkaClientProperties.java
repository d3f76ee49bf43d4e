package io.dagctl.core.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The Kafka client settings an operator adds to every client of a service: TLS, SASL (SCRAM, PLAIN, OAUTHBEARER),
 * anything a Kafka client takes. They come from a properties file ({@code dagctl.kafka.properties-file}, where secrets
 * are mounted) and from {@code dagctl.kafka.properties.*}, which win. The settings dagctl chooses itself for a client
 * (isolation, acks, idempotence, transactions, group and client ids) are applied after these and cannot be changed.
 */
public final class KafkaClientProperties {

    private KafkaClientProperties() {}

    /** @throws IllegalArgumentException naming the file and what is wrong with it */
    public static Map<String, String> load(Optional<String> file, Map<String, String> explicit) {
        Map<String, String> merged = new TreeMap<>();
        file.filter(f -> !f.isBlank()).ifPresent(f -> merged.putAll(read(Path.of(f))));
        merged.putAll(explicit);
        merged.remove("bootstrap.servers"); // dagctl.kafka.bootstrap-servers says where Kafka is
        return Map.copyOf(merged);
    }

    private static Map<String, String> read(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("dagctl.kafka.properties-file: no such file: " + file, e);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "dagctl.kafka.properties-file: cannot read " + file + " as Java properties: " + e.getMessage(), e);
        }
        Map<String, String> values = new TreeMap<>();
        properties
                .stringPropertyNames()
                .forEach(name -> values.put(name, properties.getProperty(name).trim()));
        return values;
    }
}
