package io.dagctl.cli;

import io.dagctl.cli.api.ApiException;
import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.cli.local.ClusterState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where the API is and how to authenticate: options, then environment, then the local cluster's data directory. */
public class ClientOptions {

    @Option(
            names = "--server",
            description =
                    "API URL, e.g. http://127.0.0.1:8080 (default: $DAGCTL_SERVER, else the cluster of 'dagctl up')")
    String server;

    @Option(names = "--token", description = "API token (default: $DAGCTL_TOKEN, else the token file of 'dagctl up')")
    String token;

    @Option(
            names = "--data-dir",
            description = "data directory of 'dagctl up' (default: $DAGCTL_DATA_DIR, else ~/.dagctl)")
    Path dataDir;

    Path dataDir() {
        return dataDir != null ? dataDir : ClusterState.defaultDataDir();
    }

    CoordinatorClient client() throws ApiException {
        String url = Optional.ofNullable(server).or(() -> env("DAGCTL_SERVER")).orElse(null);
        Path dir = dataDir();
        if (url == null) {
            try {
                url = ClusterState.read(dir).map(ClusterState::apiUrl).orElse(null);
            } catch (IOException | RuntimeException e) {
                throw new ApiException(
                        ExitCodes.UNAVAILABLE, "cannot read " + dir.resolve("cluster.json") + ": " + e.getMessage());
            }
        }
        if (url == null) {
            throw new ApiException(
                    ExitCodes.UNAVAILABLE,
                    "no dagctl API to talk to: start one with 'dagctl up', "
                            + "or pass --server (or set DAGCTL_SERVER)");
        }
        String secret = Optional.ofNullable(token).or(() -> env("DAGCTL_TOKEN")).orElseGet(() -> readToken(dir));
        return new CoordinatorClient(url, secret);
    }

    private static String readToken(Path dir) {
        Path file = dir.resolve("api-token");
        try {
            return Files.exists(file) ? Files.readString(file).trim() : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static Optional<String> env(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank());
    }
}
