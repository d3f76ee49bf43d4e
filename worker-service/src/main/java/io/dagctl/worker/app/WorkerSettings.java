package io.dagctl.worker.app;

import io.dagctl.worker.consume.WorkerConfig;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The worker's {@code dagctl.*} settings (each also an environment variable, e.g. DAGCTL_WORKER_SLOTS). */
@ConfigMapping(prefix = "dagctl")
public interface WorkerSettings {

    Kafka kafka();

    TopicSettings topics();

    Worker worker();

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
    }

    interface Worker {
        @WithDefault("4")
        int slots();

        @WithDefault("dagctl-workers")
        String groupId();

        /** Defaults to host name and process id. */
        Optional<String> id();

        /**
         * A stable identity for static group membership (a pod name): a worker that restarts within the session
         * timeout gets its partitions back without a rebalance. Unset: dynamic membership.
         */
        Optional<String> instanceId();

        @WithDefault("${java.io.tmpdir}/dagctl-work")
        String workDir();

        @WithDefault("false")
        boolean keepWorkDirs();

        /** Bytes of the end of stdout and of stderr kept per attempt. */
        @WithDefault("65536")
        int tailBytes();

        /** Bytes a task may write to {@code $DAGCTL_OUTPUT}; more fails the attempt (outputs are never cut). */
        @WithDefault("65536")
        int maxOutputBytes();

        @WithDefault("3s")
        Duration heartbeatInterval();

        /**
         * How long an attempt runs before the worker reports its start. One that ends sooner is reported by its result
         * alone (which says when it started): one record instead of two for a short task, and one state change in the
         * coordinator instead of two. A task shows RUNNING this much later; its lease is watched from the report on,
         * and until then the dispatch's offset stays uncommitted, so a worker that dies first has the dispatch taken
         * again. 0 reports every start at once.
         */
        @WithDefault("100ms")
        Duration startReportDelay();

        /** Bytes of one attempt's output streamed live to the logs topic; the rest is cut (the tail is still kept). */
        @WithDefault("16777216")
        long logMaxBytes();

        @WithDefault("2s")
        Duration killGrace();

        @WithDefault("30s")
        Duration drainGrace();

        @WithDefault("6s")
        Duration sessionTimeout();

        /**
         * {@code committed} (default): a dispatch is taken once the coordinator's transaction that wrote it committed,
         * so it runs exactly once. {@code uncommitted}: taken as soon as it is written, a few milliseconds sooner per
         * hop of a chain, but a dispatch whose transaction then aborts (its coordinator died or lost its partitions
         * before the commit) has started anyway and is dispatched again: the task may run twice.
         */
        @WithDefault("committed")
        WorkerConfig.DispatchReads dispatchReads();

        /**
         * The queues this worker takes tasks from, comma-separated: {@code default} (tasks that name no queue) unless
         * told otherwise, e.g. {@code gpu} or {@code gpu,default}.
         */
        @WithDefault("default")
        String queues();

        /** Absolute path of bash; default: found on PATH at start-up. */
        Optional<String> bash();

        /** Absolute path of python3; default: found on PATH and resolved to the real executable at start-up. */
        Optional<String> python();
    }
}
