package io.dagctl.cli;

import picocli.CommandLine;

/**
 * The JVM entry point {@code ./dagctl} starts: picocli on the commands, without booting Quarkus. The commands use no
 * CDI, so Quarkus' boot (about a third of a second here) bought a short-lived command nothing; with the class-data
 * sharing archive the build trains on this entry point, the CLI starts in about half the time. Quarkus' entry point
 * ({@code quarkus-run.jar}, {@link DagctlCommand} as its top command) stays for the native executable and for
 * {@code java -jar}.
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        // Kafka's clients and the in-JVM broker of `dagctl run` log through SLF4J, whose JBoss binding needs the
        // log manager Quarkus would have set up: without a provider chosen, SLF4J prints that it found none
        if (System.getProperty("slf4j.provider") == null) {
            System.setProperty("slf4j.provider", "org.slf4j.helpers.NOP_FallbackServiceProvider");
            // and not that it loaded the provider it was told to
            System.setProperty("slf4j.internal.verbosity", "WARN");
        }
        StartupWarmup.begin(args);
        int exitCode = new CommandLine(new DagctlCommand()).execute(args);
        stopHttpClientSelectors();
        System.exit(exitCode);
    }

    /**
     * The JVM's exit waits up to 300 ms for threads in native code to block (HotSpot's VM_Exit), and the JDK HTTP
     * client's selector thread sits in {@code epoll_wait} for as long as the client lives: every command that made a
     * client (StartupWarmup makes one early for those that call the API) took 0.3 s longer to exit than to finish. Interrupted, the selector thread
     * ends its loop and closes the selector; a JDK that names it otherwise leaves the wait as it was.
     */
    private static void stopHttpClientSelectors() {
        Thread.getAllStackTraces().keySet().stream()
                .filter(t ->
                        t.getName().startsWith("HttpClient-") && t.getName().endsWith("-SelectorManager"))
                .forEach(selector -> {
                    selector.interrupt();
                    try {
                        selector.join(100);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
    }
}
