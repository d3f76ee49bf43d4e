package io.dagctl.coordinator.engine;

import io.dagctl.coordinator.query.DagQueries;
import io.dagctl.coordinator.query.PoolQueries;
import io.dagctl.coordinator.query.RunListing;
import io.dagctl.coordinator.query.RunQueries;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.kafka.QueueTopics;
import java.time.Clock;
import java.time.Duration;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.processor.UsePartitionTimeOnInvalidTimestamp;
import org.apache.kafka.streams.state.HostInfo;

/** Runs the coordinator: provisions topics, then the Kafka Streams application that owns the run state. */
public final class CoordinatorEngine implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(CoordinatorEngine.class.getName());
    /** How many stream threads may be replaced within the window before the client is stopped instead. */
    private static final int THREAD_REPLACEMENTS = 5;

    private static final Duration THREAD_REPLACEMENT_WINDOW = Duration.ofMinutes(5);

    private CoordinatorConfig config;
    private final EngineTelemetry telemetry;
    private KafkaStreams streams;
    private DeadInstanceFencer fencer;
    private PeerLiveness liveness;
    private QueueTopics queueTopics;
    private RunQueries queries;
    private RunListing listing;
    private DagQueries dagQueries;
    private PoolQueries poolQueries;

    public CoordinatorEngine(CoordinatorConfig config, EngineTelemetry telemetry) {
        this.config = config;
        this.telemetry = telemetry;
    }

    public synchronized void start() {
        // per-partition shares (run retention) follow the topics as they are, not as they would have been created
        config = config.withRunPartitions(new TopicProvisioner(config).ensureTopics());
        queueTopics = new QueueTopics(config.connection().clientProperties(), config.topics());
        liveness = PeerLiveness.of(
                config.connection().applicationId(),
                config.connection().clientProperties(),
                HostInfo.buildFromEndpoint(config.connection().applicationServer())
                        .host(),
                config.timing().peerLiveness());
        try {
            streams = new KafkaStreams(
                    CoordinatorTopology.build(
                            config,
                            Clock.systemUTC(),
                            telemetry.observer(),
                            telemetry.ownedWork(),
                            queueTopics::ensure),
                    streamsProperties());
        } catch (RuntimeException e) {
            liveness.close();
            liveness = null;
            throw e;
        }
        // Nothing a record holds reaches here: the state machine takes every failure of a record into its own unit of
        // work and the dead-letter topic. What does is a fault of the cluster or of this instance: a transaction the
        // cluster broke gets a new thread (exactly-once: it goes on from the last commit); anything else, or the same
        // again and again, stops the client, and liveness reports it for a restart.
        StreamFailurePolicy policy = new StreamFailurePolicy(THREAD_REPLACEMENTS, THREAD_REPLACEMENT_WINDOW);
        streams.setUncaughtExceptionHandler(e -> {
            StreamThreadExceptionResponse response = policy.decide(e, System.nanoTime());
            LOG.log(
                    System.Logger.Level.ERROR,
                    response == StreamThreadExceptionResponse.REPLACE_THREAD
                            ? "coordinator stream thread failed on a transaction the cluster broke; a new thread"
                                    + " goes on from the last commit"
                            : "coordinator stream thread failed; shutting the client down",
                    e);
            return response;
        });
        DeadInstanceFencer deadInstances = new DeadInstanceFencer(
                config.connection().clientProperties(), config.connection().applicationId());
        fencer = deadInstances;
        deadInstances.start();
        streams.setStateListener((now, before) -> {
            LOG.log(System.Logger.Level.INFO, "coordinator state {0} -> {1}", before, now);
            if (now == KafkaStreams.State.REBALANCING || now == KafkaStreams.State.RUNNING) {
                // a member left or joined: if one died mid-transaction, its partitions' next owner waits on that
                // transaction until it ends
                deadInstances.membershipChanged();
            }
        });
        telemetry.instrumentation().accept(streams);
        queries = new RunQueries(streams, config.connection().applicationServer());
        listing = new RunListing(
                streams,
                config.connection().applicationServer(),
                config.topics().commands());
        dagQueries = new DagQueries(streams, config.connection().applicationServer());
        poolQueries = new PoolQueries(streams, config.connection().applicationServer());
        streams.start();
        // the dead peer's open transaction is aborted while the group rebalances, not after
        liveness.start(deadInstances::membershipChanged);
    }

    Properties streamsProperties() {
        CoordinatorConfig.Connection connection = config.connection();
        CoordinatorConfig.Timing timing = config.timing();
        Properties p = new Properties();
        // the operator's client settings (TLS, SASL, ...) first: Kafka Streams hands them to every client it makes;
        // what follows is dagctl's own and is not theirs to change
        p.putAll(connection.kafkaProperties());
        // Kafka Streams names its clients after the application and its process id (DeadInstanceFencer reads them)
        p.remove(CommonClientConfigs.CLIENT_ID_CONFIG);
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, connection.applicationId());
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, connection.bootstrapServers());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, (int)
                timing.commits().interval().toMillis());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int)
                config.partitioning().replicationFactor());
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, config.partitioning().standbyReplicas());
        p.put(StreamsConfig.STATE_DIR_CONFIG, connection.stateDir().toString());
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, connection.applicationServer());
        p.put(StreamsConfig.POLL_MS_CONFIG, 10);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
        if (liveness != null) {
            // static membership: a graceful stop leaves the group at once (KafkaStreams.close removes static members;
            // dynamic ones it leaves to their session), and the id names the port peers watch (PeerLiveness)
            p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), liveness.memberId());
        }
        // detect a dead instance in seconds, not the default 45 s (see docs/architecture.md for the trade-off)
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), (int)
                timing.sessionTimeout().toMillis());
        // after a peer removed a dead member (PeerLiveness), each instance hears of the rebalance at its next
        // heartbeat: every 100 ms, whatever the session (a heartbeat is one small request)
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG), (int)
                Math.min(100, timing.sessionTimeout().toMillis() / 3));
        // after a failover the committed positions stay unreadable until the dead owner's transaction is aborted
        // (DeadInstanceFencer): retry reading them every 100 ms, not with the default backoff growing to a second
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.RETRY_BACKOFF_MAX_MS_CONFIG), 100);
        // partitions taken over in a rebalance are fetched once the fetch in flight for the others returns, which an
        // idle broker holds for fetch.max.wait.ms: 500 ms by default, measured as half a second between a failover's
        // RUNNING and its first record. A fetch that finds records returns at once either way.
        p.put(StreamsConfig.mainConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 100);
        // restoring a store ends at its changelog's end; a fetch that finds nothing there waits fetch.max.wait.ms
        // (500 ms by default) before the task is seen as restored, one store after another, on a fresh cluster and
        // after a failover
        p.put(StreamsConfig.restoreConsumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 100);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 0);
        // every record the coordinator writes is checked against this before it is written (WorkUnit)
        p.put(
                StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
                RecordLimits.MAX_RECORD_BYTES + CoordinatorTopology.RECORD_OVERHEAD_BYTES);
        // a record with a broken timestamp (a hostile or buggy producer) takes its partition's time instead of stopping
        // the client
        p.put(
                StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG,
                UsePartitionTimeOnInvalidTimestamp.class.getName());
        // a dead instance's open transaction blocks read_committed readers of its partitions until it times out
        p.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), (int)
                timing.commits().transactionTimeout().toMillis());
        return p;
    }

    public synchronized boolean isRunning() {
        return streams != null && streams.state() == KafkaStreams.State.RUNNING;
    }

    public synchronized String state() {
        return streams == null ? "NOT_STARTED" : streams.state().name();
    }

    public RunQueries queries() {
        return queries;
    }

    public RunListing listing() {
        return listing;
    }

    public PoolQueries poolQueries() {
        return poolQueries;
    }

    public DagQueries dagQueries() {
        return dagQueries;
    }

    @Override
    public synchronized void close() {
        if (streams != null) {
            streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
            streams = null;
        }
        if (liveness != null) {
            // after leaving the group: peers that see this port close find nothing left to remove
            liveness.close();
            liveness = null;
        }
        if (fencer != null) {
            fencer.close();
            fencer = null;
        }
        if (queueTopics != null) {
            queueTopics.close();
            queueTopics = null;
        }
    }
}
