package io.dagctl.cli.api;

import java.util.List;
import java.util.function.Predicate;

/**
 * The threads of the process's one HTTP client, found by name, so that ending them does not load (and so start)
 * {@link ApiTransport}: the thread that sets the client up, and the JDK's selector thread of the client.
 */
final class HttpClientThreads {

    static final String SETUP = "http-client-setup";

    private HttpClientThreads() {}

    /**
     * Waits for a client still being set up (a command that ended before it needed the client asked for early), then
     * interrupts its selector thread, which ends its loop and closes the selector. A JDK that names the selector
     * otherwise leaves the exit's wait as it was.
     */
    static void end() {
        named(name -> name.equals(SETUP)).forEach(setup -> join(setup, 500));
        named(name -> name.startsWith("HttpClient-") && name.endsWith("-SelectorManager"))
                .forEach(selector -> {
                    selector.interrupt();
                    join(selector, 100);
                });
    }

    private static List<Thread> named(Predicate<String> name) {
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
