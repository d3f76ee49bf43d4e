package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import picocli.CommandLine;

/**
 * The JVM entry point {@code ./dagctl} starts: picocli on the commands, without booting Quarkus. The commands use no
 * CDI, so Quarkus' boot (about 0.2 s of a 0.5 s start here) bought a short-lived command nothing; with the class-data
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
        // the exit would otherwise wait 0.3 s for the HTTP client's selector thread
        CoordinatorClient.endSharedClient();
        System.exit(exitCode);
    }
}
