package io.dagctl.kafka;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.utils.Time;

/**
 * One KRaft node (broker and controller in one process): what {@code kafka-storage format} and
 * {@code kafka-server-start} do.
 */
final class BrokerNode {

    private final int nodeId;
    private final Properties config;
    private final Path logDir;
    private final List<String> formatArguments;
    private KafkaRaftServer server;

    /** @param formatArguments more {@code kafka-storage format} arguments (SCRAM users) */
    BrokerNode(int nodeId, Properties config, Path logDir, List<String> formatArguments) {
        this.nodeId = nodeId;
        this.config = config;
        this.logDir = logDir;
        this.formatArguments = List.copyOf(formatArguments);
    }

    void format(String clusterId) {
        try {
            Files.createDirectories(logDir);
            Path file = logDir.resolveSibling("node-" + nodeId + ".properties");
            try (OutputStream out = Files.newOutputStream(file)) {
                config.store(out, "dagctl embedded Kafka node " + nodeId);
            }
            ByteArrayOutputStream output = new ByteArrayOutputStream();
            List<String> args =
                    new ArrayList<>(List.of("format", "-t", clusterId, "-c", file.toString(), "--ignore-formatted"));
            args.addAll(formatArguments);
            int code = StorageTool.execute(
                    args.toArray(String[]::new), new PrintStream(output, true, StandardCharsets.UTF_8));
            if (code != 0) {
                throw new IllegalStateException("formatting Kafka storage in " + logDir + " failed (" + code + "): "
                        + output.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare Kafka data directory " + logDir, e);
        }
    }

    synchronized void start() {
        if (server != null) {
            return;
        }
        server = new KafkaRaftServer(KafkaConfig.fromProps(config, false), Time.SYSTEM);
        server.startup();
    }

    synchronized void stop() {
        if (server == null) {
            return;
        }
        server.shutdown();
        server.awaitShutdown();
        server = null;
    }

    synchronized boolean isRunning() {
        return server != null;
    }

    int nodeId() {
        return nodeId;
    }
}
