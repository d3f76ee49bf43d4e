package io.dagctl.coordinator.api;

import io.dagctl.kafka.EmbeddedKafka;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A real Kafka broker in the test JVM for the coordinator under {@code @QuarkusTest}, and the settings that point the
 * coordinator at it: its own state directory, one known API token, a small body limit.
 */
public class EmbeddedKafkaResource implements QuarkusTestResourceLifecycleManager {

    static final String TOKEN = "in-process-test-token";
    static final int MAX_BODY_BYTES = 1024 * 1024;

    private static volatile String bootstrapServers;
    private static volatile Path dir;
    private EmbeddedKafka kafka;

    @Override
    public Map<String, String> start() {
        try {
            dir = Files.createTempDirectory("dagctl-api-test-");
            kafka = EmbeddedKafka.builder()
                    .dataDir(dir.resolve("kafka"))
                    .build()
                    .start();
            bootstrapServers = kafka.bootstrapServers();
            return Map.of(
                    "dagctl.kafka.bootstrap-servers",
                    bootstrapServers,
                    "dagctl.coordinator.state-dir",
                    dir.resolve("state").toString(),
                    "dagctl.auth.tokens",
                    "sha256:" + sha256(TOKEN),
                    "dagctl.api.max-body-size",
                    String.valueOf(MAX_BODY_BYTES),
                    "dagctl.api.submit-visible-wait",
                    "10s");
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the test broker", e);
        }
    }

    @Override
    public void stop() {
        if (kafka != null) {
            kafka.close();
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (Exception e) {
            // a temporary directory left behind is harmless
        }
    }

    /** The broker's address, for a second coordinator engine started by a test. */
    static String bootstrapServers() {
        return bootstrapServers;
    }

    /** A fresh directory under the resource's own, for a test's extra state. */
    static Path scratch(String name) throws Exception {
        return Files.createDirectories(dir.resolve(name));
    }

    static String sha256(String text) throws Exception {
        return HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
