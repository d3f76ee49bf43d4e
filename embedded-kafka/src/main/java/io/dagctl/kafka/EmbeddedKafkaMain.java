package io.dagctl.kafka;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an embedded broker as a process of its own until SIGTERM: {@code --data-dir DIR [--port N] [--nodes 1|3]}.
 * Prints {@code ready <bootstrap servers>} once clients can connect.
 */
public final class EmbeddedKafkaMain {

    private EmbeddedKafkaMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        Path dataDir = null;
        int port = 0;
        int nodes = 1;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(require(value, "--data-dir"));
                case "--port" -> port = Integer.parseInt(require(value, "--port"));
                case "--nodes" -> nodes = Integer.parseInt(require(value, "--nodes"));
                default -> fail("unknown argument " + args[i] + "; usage: --data-dir DIR [--port N] [--nodes 1|3]");
            }
            i++;
        }
        if (dataDir == null) {
            fail("--data-dir is required");
        }
        EmbeddedKafka kafka = EmbeddedKafka.builder().dataDir(dataDir).port(port).nodes(nodes).build().start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            kafka.close();
            stopped.countDown();
        }, "kafka-stop"));
        System.out.println("ready " + kafka.bootstrapServers());
        System.out.flush();
        stopped.await();
    }

    private static String require(String value, String option) {
        if (value == null) {
            fail(option + " needs a value");
        }
        return value;
    }

    private static void fail(String message) {
        System.err.println("embedded-kafka: " + message);
        System.exit(2);
    }
}
