package io.dagctl.coordinator.app;

import io.dagctl.coordinator.engine.CoordinatorConfig;
import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The coordinator's {@code dagctl.*} settings, each also an environment variable (DAGCTL_KAFKA_BOOTSTRAP_SERVERS).
 */
@ConfigMapping(prefix = "dagctl")
public interface CoordinatorSettings {

    Kafka kafka();

    TopicSettings topics();

    Coordinator coordinator();

    Api api();

    Auth auth();

    Retention retention();

    interface Kafka {
        @WithDefault("127.0.0.1:9092")
        String bootstrapServers();

        /** Kafka client settings (TLS, SASL, ...) from a Java properties file; dagctl.kafka.properties.* win. */
        Optional<String> propertiesFile();

        /** Kafka client settings added to every client, e.g. dagctl.kafka.properties."security.protocol"=SASL_SSL. */
        Map<String, String> properties();
    }

    interface TopicSettings {
        @WithDefault("dagctl")
        String prefix();

        @WithDefault("12")
        int runPartitions();

        @WithDefault("48")
        int dispatchPartitions();

        @WithDefault("1")
        short replicationFactor();
    }

    interface Coordinator {
        @WithDefault("dagctl-coordinator")
        String applicationId();

        @WithDefault("${java.io.tmpdir}/dagctl-coordinator-state")
        String stateDir();

        @WithDefault("100ms")
        Duration commitInterval();

        /**
         * A dispatch or cancel commits at once unless an early commit was asked for within this gap, or the record that
         * caused it had waited longer than {@link #commitInterval} (a backlog: the regular commit takes it).
         */
        @WithDefault("5ms")
        Duration dispatchCommitGap();

        @WithDefault("100ms")
        Duration timerTick();

        @WithDefault("10s")
        Duration lease();

        @WithDefault("30s")
        Duration timeoutGrace();

        /** A dispatched attempt not started by a worker within this time is queued again as a new attempt. */
        @WithDefault("1h")
        Duration queueTimeout();

        /**
         * The most task entries one record or timer tick changes per transaction; wider fan-outs, large dispatches,
         * cancels and retries and long failure cascades go on in batches.
         */
        @WithDefault("10000")
        int batchSize();

        /** Attempts in a row that workers may fail to start before the task fails (they use no retry). */
        @WithDefault("3")
        int notStartedLimit();

        @WithDefault("6s")
        Duration sessionTimeout();

        /**
         * Instances watch each other's liveness port: a process that ends is taken out of the group at once, not after
         * {@link #sessionTimeout()}. Off where the instances cannot reach each other's ephemeral ports.
         */
        @WithDefault("true")
        boolean peerLiveness();

        /** Kafka transaction timeout of the coordinator's producer: bounds failover after a crash mid-transaction. */
        @WithDefault("5s")
        Duration transactionTimeout();

        @WithDefault("0")
        int standbyReplicas();

        /**
         * persistent (RocksDB under the state directory) or in-memory (the heap; a restart replays the changelog): the
         * local cluster of one `dagctl run` of a small DAG keeps its state in memory, so that no store is opened on disk.
         */
        @WithDefault("persistent")
        CoordinatorConfig.StateStores stateStores();

        /** host:port other instances use to reach this one's API; default 127.0.0.1 and the HTTP port. */
        Optional<String> advertisedAddress();

        /**
         * How other instances reach this one's API: {@code http}, or {@code https} when the API serves TLS. Forwarded
         * requests carry the caller's bearer token.
         */
        @WithDefault("http")
        String advertisedScheme();
    }

    interface Api {
        @WithDefault("200000")
        int maxTasks();

        /** Largest request body; larger ones are refused with 413. Keep quarkus.http.limits.max-body-size above it. */
        @WithDefault("32M")
        MemorySize maxBodySize();

        /** How long a submit waits for its run to become readable before answering 202 anyway. */
        @WithDefault("5s")
        Duration submitVisibleWait();
    }

    /** How long finished runs (entries, tasks, events, logs) are kept. */
    interface Retention {
        @WithDefault("30d")
        Duration finishedRuns();

        @WithDefault("10000")
        int maxRunsPerDag();

        @WithDefault("1m")
        Duration sweepEvery();
    }

    interface Auth {
        /** Accepted tokens as {@code sha256:<hex>} hashes; when none, one is generated into {@code token-file}. */
        Optional<List<String>> tokens();

        /** Where the generated token is kept (mode 0600); default {@code <state-dir>/api-token}. */
        Optional<String> tokenFile();

        /** How long a web UI session lasts after signing in. */
        @WithDefault("12h")
        Duration sessionLifetime();

        /** Mark the session cookie Secure (sent over HTTPS only); set it when the UI is served through TLS. */
        @WithDefault("false")
        boolean secureCookie();
    }
}
