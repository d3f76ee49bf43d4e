package io.dagctl.coordinator.engine;

import io.dagctl.core.event.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Everything the coordinator engine needs to run, in groups; the Quarkus shell builds it from its {@code dagctl.*}
 * settings (docs: README, configuration table).
 */
public record CoordinatorConfig(
        Connection connection, Partitioning partitioning, Timing timing, Limits limits, Retention retention) {

    /**
     * @param kafkaProperties any other Kafka client settings (TLS, SASL, ...), given to every client of the engine
     * @param applicationServer {@code host:port} of this instance's REST API, published for interactive queries
     */
    public record Connection(
            String bootstrapServers,
            Map<String, String> kafkaProperties,
            String applicationId,
            String applicationServer,
            Path stateDir,
            Topics topics) {

        public Connection {
            kafkaProperties = Map.copyOf(kafkaProperties);
        }

        /** The settings every Kafka client of the engine starts from: the servers and {@link #kafkaProperties}. */
        public Map<String, Object> clientProperties() {
            Map<String, Object> props = new HashMap<>(kafkaProperties);
            props.put("bootstrap.servers", bootstrapServers);
            return props;
        }
    }

    /**
     * How the topics are laid out, how many standby copies of each partition's state other instances keep, and where an
     * instance keeps the state of its partitions.
     */
    public record Partitioning(
            int runPartitions,
            int dispatchPartitions,
            short replicationFactor,
            int standbyReplicas,
            StateStores stateStores) {}

    /**
     * Where an instance keeps its partitions' state between commits. Either way the state is durable in its changelog
     * topics; the kind decides what a restart of the instance costs.
     */
    public enum StateStores {
        /** RocksDB under the state directory: a restarted instance reads only what its checkpoint has not. */
        PERSISTENT,
        /**
         * The heap: nothing to open at start (no RocksDB instance per store and partition), but a restarted instance
         * replays its whole changelog, the state must fit the heap, and an iterator copies every key of its range
         * before the first, so paging through a large run costs a copy of its rest per page. For a cluster that lives
         * for one run of a small DAG.
         */
        IN_MEMORY
    }

    /**
     * @param timerTick how often due timers are looked for
     * @param sessionTimeout how long a silent instance keeps its partitions (its failover time)
     * @param peerLiveness whether the instances watch each other's liveness port, so that a process that ends is taken
     *     out of the group at once instead of after its session ({@link PeerLiveness})
     */
    public record Timing(
            Commits commits,
            AttemptTiming attempts,
            Duration timerTick,
            Duration sessionTimeout,
            boolean peerLiveness) {}

    /**
     * @param interval how often the exactly-once transaction commits when nothing asks for it earlier
     * @param dispatchGap a dispatch or cancel asks for an immediate commit unless one was asked for within this gap
     *     (then it goes with the next one): short so that a chain's hop does not wait, long enough that a burst of
     *     dispatching results still shares transactions; never for a record that waited longer than {@code interval}
     *     (a backlog)
     * @param transactionTimeout how long a dead instance's open transaction can hold back its partitions' readers
     */
    public record Commits(Duration interval, Duration dispatchGap, Duration transactionTimeout) {}

    /**
     * @param lease how long a running attempt may go without a heartbeat before it is declared lost
     * @param timeoutGrace how long past a task's timeout the coordinator waits for the worker's own report
     * @param queueTimeout how long a dispatched attempt may wait for a worker before it is queued again as a new
     *     attempt (workers skip dispatch records older than this); long, since a backlog is normal
     */
    public record AttemptTiming(Duration lease, Duration timeoutGrace, Duration queueTimeout) {}

    /**
     * @param batchSize the most task entries one transaction changes for one record or one timer tick: a wider
     *     fan-out, a large run's dispatch, cancel or retry, a long cascade of failures goes on in batches, one per
     *     timer tick, so that no transaction outlasts the transaction timeout (a broker aborts it, and the same work
     *     would be tried again and again) and other runs keep moving in between
     * @param notStartedLimit how many attempts in a row workers may fail to start (no interpreter, no work directory)
     *     before the task fails; such attempts use no retry
     */
    public record Limits(int batchSize, int notStartedLimit) {

        /**
         * 100,000 dependents in one transaction took over the 5 s transaction timeout on a cold, C1-only coordinator;
         * in batches of 10,000 none was aborted (docs/architecture.md).
         */
        public static final int DEFAULT_BATCH_SIZE = 10_000;

        public static final int DEFAULT_NOT_STARTED_LIMIT = 3;

        public Limits {
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
            }
            if (notStartedLimit < 1) {
                throw new IllegalArgumentException("not-started limit must be at least 1, got " + notStartedLimit);
            }
        }

        public static Limits defaults() {
            return new Limits(DEFAULT_BATCH_SIZE, DEFAULT_NOT_STARTED_LIMIT);
        }
    }

    /**
     * How long finished runs are kept.
     *
     * @param finishedRuns a finished run (its entry, tasks and place in the index) is removed this long after it ended
     * @param maxRunsPerDag the most runs of one DAG kept; the oldest finished ones beyond it are removed. Runs are
     *     spread over the partitions by id, so each partition keeps its share (this divided by the partition count,
     *     rounded up)
     * @param sweepEvery how often each partition's owner removes what is due, in bounded batches
     */
    public record Retention(Duration finishedRuns, int maxRunsPerDag, Duration sweepEvery) {

        public Retention {
            if (finishedRuns.isNegative() || finishedRuns.isZero()) {
                throw new IllegalArgumentException("retention of finished runs must be positive, got " + finishedRuns);
            }
            if (maxRunsPerDag < 1) {
                throw new IllegalArgumentException("max runs per DAG must be at least 1, got " + maxRunsPerDag);
            }
            if (sweepEvery.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException(
                        "the retention sweep runs at most every second, not every " + sweepEvery);
            }
        }

        public static Retention defaults() {
            return new Retention(Duration.ofDays(30), 10_000, Duration.ofMinutes(1));
        }

        /** How many runs of one DAG a partition keeps. */
        public int perPartition(int partitions) {
            return (maxRunsPerDag + partitions - 1) / partitions;
        }
    }

    /** The settings of a single local instance with the documented defaults. */
    public static CoordinatorConfig localDefaults(String bootstrapServers, Path stateDir) {
        return new CoordinatorConfig(
                new Connection(
                        bootstrapServers,
                        Map.of(),
                        "dagctl-coordinator",
                        "127.0.0.1:8080",
                        stateDir,
                        Topics.defaults()),
                new Partitioning(
                        Topics.DEFAULT_RUN_PARTITIONS,
                        Topics.DEFAULT_DISPATCH_PARTITIONS,
                        (short) 1,
                        0,
                        StateStores.PERSISTENT),
                new Timing(
                        new Commits(Duration.ofMillis(100), Duration.ofMillis(5), Duration.ofSeconds(5)),
                        new AttemptTiming(Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofHours(1)),
                        Duration.ofMillis(100),
                        Duration.ofSeconds(6),
                        true),
                Limits.defaults(),
                Retention.defaults());
    }

    public CoordinatorConfig withLimits(Limits newLimits) {
        return new CoordinatorConfig(connection, partitioning, timing, newLimits, retention);
    }

    public CoordinatorConfig withStateStores(StateStores stores) {
        return new CoordinatorConfig(
                connection,
                new Partitioning(
                        partitioning.runPartitions(),
                        partitioning.dispatchPartitions(),
                        partitioning.replicationFactor(),
                        partitioning.standbyReplicas(),
                        stores),
                timing,
                limits,
                retention);
    }

    /** The same with the run partitions the topics really have (created earlier, perhaps with another count). */
    public CoordinatorConfig withRunPartitions(int runPartitions) {
        return new CoordinatorConfig(
                connection,
                new Partitioning(
                        runPartitions,
                        partitioning.dispatchPartitions(),
                        partitioning.replicationFactor(),
                        partitioning.standbyReplicas(),
                        partitioning.stateStores()),
                timing,
                limits,
                retention);
    }

    public Topics topics() {
        return connection.topics();
    }
}
