package io.dagctl.kafka;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Runs an embedded broker as a process of its own until SIGTERM: {@code --data-dir DIR [--port N] [--nodes 1|3]}.
 * One node of a cluster of separate processes: {@code --nodes 3 --node I --broker-ports a,b,c
 * --controller-ports x,y,z --cluster-id ID}. Prints {@code ready <bootstrap servers>} once clients can connect.
 * {@code --exit-when-ready} stops the broker at once and exits: the build runs it so to train the class-data sharing
 * archive the local cluster's broker starts from.
 */
public final class EmbeddedKafkaMain {

    private EmbeddedKafkaMain() {}

    public static void main(String[] args) throws InterruptedException {
        Path dataDir = null;
        int port = 0;
        int nodes = 1;
        int node = -1;
        List<Integer> brokerPorts = null;
        List<Integer> controllerPorts = null;
        String clusterId = null;
        boolean exitWhenReady = false;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (args[i].equals("--exit-when-ready")) {
                exitWhenReady = true;
                continue;
            }
            switch (args[i]) {
                case "--data-dir" -> dataDir = Path.of(require(value, "--data-dir"));
                case "--port" -> port = Integer.parseInt(require(value, "--port"));
                case "--nodes" -> nodes = Integer.parseInt(require(value, "--nodes"));
                case "--node" -> node = Integer.parseInt(require(value, "--node"));
                case "--broker-ports" -> brokerPorts = ports(require(value, "--broker-ports"));
                case "--controller-ports" -> controllerPorts = ports(require(value, "--controller-ports"));
                case "--cluster-id" -> clusterId = require(value, "--cluster-id");
                default ->
                    fail("unknown argument " + args[i]
                            + "; usage: --data-dir DIR [--port N] [--nodes 1|3] [--exit-when-ready]");
            }
            i++;
        }
        if (dataDir == null) {
            fail("--data-dir is required");
        }
        EmbeddedKafka.Builder builder =
                EmbeddedKafka.builder().dataDir(dataDir).port(port).nodes(nodes);
        if (node >= 0) {
            if (brokerPorts == null || controllerPorts == null || clusterId == null) {
                fail("--node needs --broker-ports, --controller-ports and --cluster-id");
            }
            builder.onlyNode(node, brokerPorts, controllerPorts, clusterId);
        }
        EmbeddedKafka kafka = builder.build().start();
        if (exitWhenReady) {
            System.out.println("ready " + kafka.bootstrapServers() + "; stopping (--exit-when-ready)");
            kafka.close();
            return;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            kafka.close();
                            stopped.countDown();
                        },
                        "kafka-stop"));
        System.out.println("ready " + kafka.bootstrapServers());
        System.out.flush();
        stopped.await();
    }

    private static List<Integer> ports(String csv) {
        return Arrays.stream(csv.split(","))
                .map(String::trim)
                .map(Integer::parseInt)
                .toList();
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
