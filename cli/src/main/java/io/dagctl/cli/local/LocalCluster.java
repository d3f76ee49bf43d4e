package io.dagctl.cli.local;

import io.dagctl.kafka.EmbeddedKafka;
import io.dagctl.kafka.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A whole dagctl cluster for one {@code dagctl run}: an embedded Kafka broker in this JVM, and the coordinator and a
 * worker as child processes. Everything lives under one data directory, temporary unless given.
 */
public final class LocalCluster implements AutoCloseable {

    private final ServiceLaunch launch;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final List<ServiceProcess> services = new ArrayList<>();
    private EmbeddedKafka kafka;
    private String apiUrl;

    public LocalCluster(Path home, Path dataDir) throws IOException {
        this.launch = new ServiceLaunch(home);
        this.deleteOnClose = dataDir == null;
        this.dataDir = dataDir != null ? dataDir : Files.createTempDirectory("dagctl-local-");
    }

    /** Starts the broker, then the coordinator and a worker with {@code slots} slots; {@code step} hears each stage. */
    public void start(int slots, Consumer<String> step) throws IOException {
        step.accept("starting Kafka broker");
        kafka = EmbeddedKafka.builder()
                .dataDir(dataDir.resolve("kafka"))
                .build()
                .start();
        int port = FreePorts.next();
        apiUrl = "http://127.0.0.1:" + port;
        step.accept("starting coordinator and worker");
        services.add(launch.coordinator(kafka.bootstrapServers(), port, dataDir, false));
        services.add(launch.worker(kafka.bootstrapServers(), slots, FreePorts.next(), dataDir, false));
    }

    public String apiUrl() {
        return apiUrl;
    }

    /** Where the coordinator keeps the API token it generated (mode 0600). */
    public Path tokenFile() {
        return ServiceLaunch.tokenFile(dataDir);
    }

    /** The API token, once the coordinator has written it. */
    public String token() throws IOException {
        return Files.readString(tokenFile()).trim();
    }

    /** A service that exited on its own, with the end of its log, or null when all are up. */
    public String deadServiceReport() {
        for (ServiceProcess service : services) {
            if (!service.isAlive()) {
                return "the " + service.name() + " exited; the end of " + service.logFile() + ":\n"
                        + service.logTail(30);
            }
        }
        return null;
    }

    public String logHint() {
        return "logs: " + dataDir.resolve("logs");
    }

    @Override
    public void close() {
        for (int i = services.size() - 1; i >= 0; i--) {
            services.get(i).stop(35_000);
        }
        services.clear();
        if (kafka != null) {
            kafka.close();
            kafka = null;
        }
        if (deleteOnClose) {
            try (Stream<Path> paths = Files.walk(dataDir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // a temporary directory left behind is harmless
            }
        }
    }
}
