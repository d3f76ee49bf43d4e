package io.dagctl.kafka;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Apache Kafka cluster in KRaft mode, in this JVM: one node, or three for fault tests (each node both broker and
 * controller). Ports are free ones on 127.0.0.1 unless given; data lives in a temporary directory that is deleted on
 * {@link #close()}, unless a directory is given (then it survives, and a restart keeps every record).
 */
public final class EmbeddedKafka implements AutoCloseable {

    private final List<BrokerNode> nodes = new ArrayList<>();
    private final List<Integer> brokerPorts = new ArrayList<>();
    private final Path dataDir;
    private final boolean deleteDataOnClose;
    private final int onlyNode;
    private final SecureListener secure;

    private EmbeddedKafka(Builder builder) {
        try {
            this.deleteDataOnClose = builder.dataDir == null;
            this.dataDir = builder.dataDir != null ? builder.dataDir : Files.createTempDirectory("dagctl-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary directory for Kafka", e);
        }
        int count = builder.nodes;
        List<Integer> controllerPorts = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            if (builder.brokerPorts != null) {
                brokerPorts.add(builder.brokerPorts.get(i));
                controllerPorts.add(builder.controllerPorts.get(i));
            } else {
                brokerPorts.add(i == 0 && builder.port > 0 ? builder.port : FreePorts.next());
                controllerPorts.add(FreePorts.next());
            }
        }
        String voters = IntStream.range(0, count)
                .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i))
                .collect(Collectors.joining(","));
        int replication = Math.min(3, count);
        for (int i = 0; i < count; i++) {
            Properties p = new Properties();
            p.put("process.roles", "broker,controller");
            p.put("node.id", String.valueOf(i + 1));
            p.put("controller.quorum.voters", voters);
            p.put(
                    "listeners",
                    "PLAINTEXT://127.0.0.1:" + brokerPorts.get(i) + ",CONTROLLER://127.0.0.1:"
                            + controllerPorts.get(i));
            p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPorts.get(i));
            p.put("controller.listener.names", "CONTROLLER");
            p.put("inter.broker.listener.name", "PLAINTEXT");
            p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
            p.put("log.dirs", dataDir.resolve("node-" + (i + 1)).toString());
            p.put("auto.create.topics.enable", "false");
            p.put("num.partitions", "1");
            p.put("default.replication.factor", String.valueOf(replication));
            p.put("min.insync.replicas", String.valueOf(Math.max(1, replication - 1)));
            p.put("offsets.topic.replication.factor", String.valueOf(replication));
            p.put("offsets.topic.num.partitions", String.valueOf(builder.internalTopicPartitions));
            p.put("transaction.state.log.replication.factor", String.valueOf(replication));
            p.put("transaction.state.log.min.isr", String.valueOf(Math.max(1, replication - 1)));
            p.put("transaction.state.log.num.partitions", String.valueOf(builder.internalTopicPartitions));
            p.put("group.initial.rebalance.delay.ms", "0");
            // lets clients detect a dead member within half a second to a second when they ask for it
            // (docs/architecture.md)
            p.put("group.min.session.timeout.ms", "500");
            // abort a crashed producer's transaction soon after its timeout (default: checked every 10 s)
            p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
            if (count > 1) {
                // a dead broker's partitions move after 3 s instead of the stock 9 s: within the coordinator's lease
                // (10 s) minus a worker heartbeat interval (3 s), so a broker crash does not make attempts look lost
                p.put("broker.heartbeat.interval.ms", "500");
                p.put("broker.session.timeout.ms", "3000");
            }
            // the log cleaner's key map is allocated whole at start (stock 128 MB of heap): 32 MB still dedupes about
            // 1.3 million keys per pass, far more than a local cluster's compacted topics hold
            p.put("log.cleaner.dedupe.buffer.size", String.valueOf(32 * 1024 * 1024));
            p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
            p.put("log.retention.check.interval.ms", "60000");
            if (builder.secure != null) {
                builder.secure.apply(p, brokerPorts.get(i), controllerPorts.get(i));
            }
            p.putAll(builder.overrides);
            if (builder.onlyNode < 0 || builder.onlyNode == i) {
                nodes.add(new BrokerNode(
                        i + 1,
                        p,
                        dataDir.resolve("node-" + (i + 1)),
                        builder.secure == null ? List.of() : builder.secure.formatArguments()));
            }
        }
        this.onlyNode = builder.onlyNode;
        this.secure = builder.secure;
        String clusterId = builder.clusterId != null ? builder.clusterId : readOrCreateClusterId();
        nodes.forEach(node -> node.format(clusterId));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts one node on free ports with temporary data, and waits until it is ready. */
    public static EmbeddedKafka startSingleNode() {
        return builder().build().start();
    }

    private String readOrCreateClusterId() {
        Path file = dataDir.resolve("cluster.id");
        try {
            if (Files.exists(file)) {
                return Files.readString(file).trim();
            }
            String id = Uuid.randomUuid().toString();
            Files.createDirectories(dataDir);
            Files.writeString(file, id);
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write " + file, e);
        }
    }

    /** Starts every node (in parallel: a KRaft quorum needs a majority up) and waits until every broker registered. */
    public EmbeddedKafka start() {
        List<RuntimeException> failures = onEveryNodeAtOnce("start", BrokerNode::start);
        if (!failures.isEmpty()) {
            throw new IllegalStateException(
                    "Kafka failed to start: " + failures.get(0).getMessage(), failures.get(0));
        }
        awaitBrokers(nodes.size(), Duration.ofSeconds(120));
        return this;
    }

    private void awaitBrokers(int expected, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try (Admin admin = admin()) {
            while (true) {
                try {
                    int registered = admin.describeCluster().nodes().get().size();
                    if (registered >= expected) {
                        return;
                    }
                } catch (ExecutionException e) {
                    // not ready yet
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(
                            "Kafka at " + bootstrapServers() + " was not ready within " + timeout);
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Kafka", e);
        }
    }

    public String bootstrapServers() {
        if (onlyNode >= 0) {
            return "127.0.0.1:" + brokerPorts.get(onlyNode);
        }
        List<String> addresses = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            if (nodes.get(i).isRunning()) {
                addresses.add("127.0.0.1:" + brokerPorts.get(i));
            }
        }
        return String.join(",", addresses);
    }

    /** An admin client; on a secured broker it logs in as the super user. */
    public Admin admin() {
        Properties props = secure == null ? new Properties() : secure.adminProperties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return Admin.create(props);
    }

    /** Creates topics that do not exist yet; existing ones are left as they are. */
    public void createTopics(Collection<NewTopic> topics) {
        try (Admin admin = admin()) {
            for (var entry : admin.createTopics(topics).values().entrySet()) {
                try {
                    entry.getValue().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + entry.getKey(), e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topics", e);
        }
    }

    /** Stops node {@code index} (0-based) abruptly for fault tests; the others keep serving. */
    public void stopNode(int index) {
        nodes.get(index).stop();
    }

    public int size() {
        return nodes.size();
    }

    public Path dataDir() {
        return dataDir;
    }

    /**
     * Stops every node at once: stopped one by one, the last brokers would wait for a controller quorum that is
     * already gone before giving up on their controlled shutdown.
     */
    @Override
    public void close() {
        onEveryNodeAtOnce("stop", BrokerNode::stop);
        if (deleteDataOnClose) {
            deleteRecursively(dataDir);
        }
    }

    /** Runs {@code action} on every node in parallel and waits; returns what failed. */
    private List<RuntimeException> onEveryNodeAtOnce(String name, Consumer<BrokerNode> action) {
        List<RuntimeException> failures = Collections.synchronizedList(new ArrayList<>());
        List<Thread> threads = new ArrayList<>();
        for (BrokerNode node : nodes) {
            Thread t = new Thread(
                    () -> {
                        try {
                            action.accept(node);
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    },
                    "kafka-node-" + node.nodeId() + "-" + name);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted during Kafka " + name, e);
            }
        }
        return failures;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort: a temporary directory left behind is harmless
        }
    }

    public static final class Builder {
        private int nodes = 1;
        private int port;
        private Path dataDir;
        private int internalTopicPartitions = 6;
        private final Properties overrides = new Properties();
        private int onlyNode = -1;
        private List<Integer> brokerPorts;
        private List<Integer> controllerPorts;
        private String clusterId;
        private SecureListener secure;

        /**
         * Runs only node {@code index} (0-based) of the cluster in this JVM, for a cluster whose nodes are separate
         * processes (so one can be killed); every process must be given the same ports and cluster id.
         */
        public Builder onlyNode(int index, List<Integer> brokerPorts, List<Integer> controllerPorts, String clusterId) {
            if (brokerPorts.size() != nodes || controllerPorts.size() != nodes) {
                throw new IllegalArgumentException("give one broker and one controller port per node (" + nodes + ")");
            }
            this.onlyNode = index;
            this.brokerPorts = List.copyOf(brokerPorts);
            this.controllerPorts = List.copyOf(controllerPorts);
            this.clusterId = clusterId;
            return this;
        }

        public Builder nodes(int count) {
            if (count != 1 && count != 3) {
                throw new IllegalArgumentException("1 or 3 nodes, not " + count);
            }
            this.nodes = count;
            return this;
        }

        /** The first node's client port; 0 (default) picks a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Where data lives; it is kept on close, so a later cluster on the same directory sees every record. */
        public Builder dataDir(Path dir) {
            this.dataDir = dir;
            return this;
        }

        public Builder internalTopicPartitions(int partitions) {
            this.internalTopicPartitions = partitions;
            return this;
        }

        /** Clients must use TLS and SASL, and ACLs decide what they may do (one node only). */
        public Builder secure(SecureListener listener) {
            this.secure = listener;
            return this;
        }

        public Builder brokerProperty(String key, String value) {
            overrides.put(key, value);
            return this;
        }

        public EmbeddedKafka build() {
            if (secure != null && nodes != 1) {
                throw new IllegalArgumentException("a secured embedded Kafka has one node");
            }
            return new EmbeddedKafka(this);
        }
    }
}
