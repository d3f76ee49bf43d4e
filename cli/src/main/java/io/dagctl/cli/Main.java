package io.dagctl.cli;

import io.dagctl.cli.api.CoordinatorClient;
import java.util.List;
import java.util.function.Predicate;
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
     * client (StartupWarmup makes one early for those that call the API) took 0.3 s longer to exit than to finish.
     * Interrupted, the selector thread ends its loop and closes the selector; a JDK that names it otherwise leaves the
     * wait as it was.
     */
    private static void stopHttpClientSelectors() {
        // a command that ended before it needed the client it asked for early: its selector is not there yet
        threadsNamed(name -> name.equals(CoordinatorClient.HTTP_SETUP_THREAD)).forEach(setup -> join(setup, 500));
        threadsNamed(name -> name.startsWith("HttpClient-") && name.endsWith("-SelectorManager"))
                .forEach(selector -> {
                    selector.interrupt();
                    join(selector, 100);
                });
    }

    private static List<Thread> threadsNamed(Predicate<String> name) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> name.test(t.getName()))
                .toList();
    }

    private static void join(Thread thread, long millis) {
        try {
            thread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
