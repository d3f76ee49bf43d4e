package io.dagctl.cli.local;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.dagctl.core.event.Events;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@code dagctl up} started, kept in {@code <data-dir>/cluster.json} so that {@code down} and the client
 * commands find it.
 */
public record ClusterState(
        String apiUrl,
        String bootstrapServers,
        int brokerPort,
        int apiPort,
        int workers,
        long brokerPid,
        long coordinatorPid,
        long workerPid) {

    static final String FILE = "cluster.json";

    public static Optional<ClusterState> read(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        return Optional.of(Events.fromJson(Files.readAllBytes(file), ClusterState.class));
    }

    void write(Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        Files.write(dataDir.resolve(FILE), Events.toJson(this));
    }

    static void delete(Path dataDir) throws IOException {
        Files.deleteIfExists(dataDir.resolve(FILE));
    }

    /** True while the coordinator process it names is still alive. */
    @JsonIgnore
    public boolean isRunning() {
        return ProcessHandle.of(coordinatorPid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** The default data directory: $DAGCTL_DATA_DIR, else ~/.dagctl. */
    public static Path defaultDataDir() {
        String env = System.getenv("DAGCTL_DATA_DIR");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of(System.getProperty("user.home"), ".dagctl");
    }
}
