package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import io.dagctl.core.event.Events;

/**
 * Sets up, on a second core, what nearly every command needs (the JSON mapper, the HTTP client and its TLS context)
 * while picocli builds its command model on the first: a tenth to a fifth of a second off each command's start.
 */
final class StartupWarmup {

    private StartupWarmup() {}

    static void begin() {
        Thread warmup = new Thread(
                () -> {
                    CoordinatorClient.prepare();
                    Events.mapper();
                },
                "startup-warmup");
        warmup.setDaemon(true);
        warmup.start();
    }
}
