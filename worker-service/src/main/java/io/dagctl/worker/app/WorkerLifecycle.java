package io.dagctl.worker.app;

import io.dagctl.core.config.KafkaClientProperties;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.Topics;
import io.dagctl.core.kafka.QueueTopics;
import io.dagctl.core.model.Queues;
import io.dagctl.worker.consume.AttemptRunner;
import io.dagctl.worker.consume.ControlListener;
import io.dagctl.worker.consume.DispatchConsumerSettings;
import io.dagctl.worker.consume.TopicWait;
import io.dagctl.worker.consume.WorkerConfig;
import io.dagctl.worker.consume.WorkerEngine;
import io.dagctl.worker.exec.ExecutionSettings;
import io.dagctl.worker.exec.Interpreters;
import io.dagctl.worker.exec.ProcessKeeper;
import io.dagctl.worker.exec.TaskExecutor;
import io.dagctl.worker.report.LogStreamer;
import io.dagctl.worker.report.ResultReporter;
import io.dagctl.worker.report.StatusPublisher;
import io.dagctl.worker.telemetry.AttemptTracer;
import io.dagctl.worker.telemetry.WorkerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Builds the worker's parts and starts its engine with the application; on SIGTERM the engine drains (see
 * WorkerEngine) and the parts close after it, before the JVM exits.
 */
@ApplicationScoped
public class WorkerLifecycle {

    private static final System.Logger LOG = System.getLogger(WorkerLifecycle.class.getName());

    /** The most of each stream an attempt's result carries: well inside the largest record the topics take. */
    static final int MAX_TAIL_BYTES = 256 * 1024;

    private final WorkerSettings settings;
    private final MeterRegistry registry;
    private final OpenTelemetry openTelemetry;
    private volatile WorkerEngine engine;
    private ExecutorService slots;
    private ExecutorService streamReaders;
    private ControlListener control;
    private LogStreamer logs;
    private ResultReporter reporter;
    private StatusPublisher status;
    private WorkerMetrics metrics;
    private ProcessKeeper keeper;

    public WorkerLifecycle(WorkerSettings settings, MeterRegistry registry, OpenTelemetry openTelemetry) {
        this.settings = settings;
        this.registry = registry;
        this.openTelemetry = openTelemetry;
    }

    void onStart(@Observes StartupEvent event) {
        WorkerConfig config = config();
        Clock clock = Clock.systemUTC();
        String clientId = "dagctl-worker-" + config.workerId();
        Map<String, Object> clients = config.connection().clientProperties();
        metrics = new WorkerMetrics(registry, config.slots());
        streamReaders = Executors.newCachedThreadPool(named("task-output"));
        slots = Executors.newFixedThreadPool(config.slots(), named("slot"));
        Interpreters interpreters =
                new Interpreters(settings.worker().bash(), settings.worker().python());
        keeper = ProcessKeeper.start(config.execution().killGrace(), interpreters.bash(), TaskExecutor.setsidPath());
        TaskExecutor executor =
                new TaskExecutor(interpreters, config.execution(), streamReaders, config.workerId(), clock, keeper);
        reporter = new ResultReporter(
                clients,
                config.topics().results(),
                config.topics().dlq(),
                config.workerId(),
                config.timing().heartbeatInterval(),
                clock);
        reporter.instrument(metrics);
        logs = new LogStreamer(clients, config.topics().logs(), clientId, config.logMaxBytes(), clock);
        control = new ControlListener(clients, config.topics().control(), clientId, executor, clock);
        AttemptRunner runner = new AttemptRunner(
                executor,
                reporter,
                logs,
                metrics,
                new AttemptTracer(openTelemetry, config.workerId()),
                config.workerId(),
                config.timing().startReportDelay(),
                clock);
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(
                DispatchConsumerSettings.of(config), new StringDeserializer(), new ByteArrayDeserializer());
        metrics.bindConsumer(consumer);
        engine = new WorkerEngine(
                config, consumer, new WorkerEngine.Parts(runner, slots, control, reporter, metrics, clock));
        new TopicWait(clients, config.topics().dispatch()).await();
        new TopicWait(clients, config.topics().control()).await();
        // a queue no DAG has named yet has no topic: made here, like the default queue's, so that its first task is
        // taken at once rather than at this consumer's next metadata refresh
        try (QueueTopics queueTopics = new QueueTopics(clients, config.topics())) {
            queueTopics.ensure(config.queues());
        } catch (IllegalStateException e) {
            // not fatal: a topic made later (by the API, the chart) is found at the consumer's next metadata refresh
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the dispatch topics of queues {0} could not be checked or made ({1}); taking work from them"
                            + " once they exist",
                    config.queues(),
                    e.getMessage());
        }
        control.start();
        engine.start();
        status = new StatusPublisher(
                        clients,
                        config.topics().workers(),
                        config.workerId(),
                        config.slots(),
                        config.queues(),
                        metrics::busySlots,
                        clock)
                .start();
    }

    /** Drains the engine first: its running attempts still need the reporter, the log streamer and the slots. */
    void onStop(@Observes ShutdownEvent event) {
        if (engine == null) {
            return;
        }
        if (status != null) {
            status.close();
        }
        engine.close();
        control.close();
        slots.shutdownNow();
        streamReaders.shutdownNow();
        keeper.close(); // nothing a task started outlives the worker
        logs.close();
        reporter.close();
        metrics.close();
    }

    /** The running engine; null until the application has started. */
    WorkerEngine engine() {
        return engine;
    }

    private WorkerConfig config() {
        WorkerSettings.Worker w = settings.worker();
        if (w.tailBytes() < 0 || w.tailBytes() > MAX_TAIL_BYTES) {
            throw new IllegalArgumentException("dagctl.worker.tail-bytes is " + w.tailBytes()
                    + "; it must be 0 to " + MAX_TAIL_BYTES + " (the coordinator keeps at most "
                    + RecordLimits.MAX_STORED_TAIL_CHARS + " characters of each stream)");
        }
        if (w.maxOutputBytes() < 0 || w.maxOutputBytes() > RecordLimits.MAX_OUTPUTS_BYTES) {
            throw new IllegalArgumentException("dagctl.worker.max-output-bytes is " + w.maxOutputBytes()
                    + "; it must be 0 to " + RecordLimits.MAX_OUTPUTS_BYTES + " ("
                    + RecordLimits.describe(RecordLimits.MAX_OUTPUTS_BYTES)
                    + ": outputs travel in one record with the task's tails)");
        }
        var connection = new WorkerConfig.Connection(
                settings.kafka().bootstrapServers(),
                KafkaClientProperties.load(
                        settings.kafka().propertiesFile(), settings.kafka().properties()),
                new Topics(settings.topics().prefix()),
                w.groupId());
        var execution = new ExecutionSettings(
                Path.of(w.workDir()), w.tailBytes(), w.killGrace(), w.keepWorkDirs(), w.maxOutputBytes());
        var timing = new WorkerConfig.Timing(
                w.heartbeatInterval(), w.drainGrace(), w.sessionTimeout(), w.startReportDelay());
        String workerId = w.id().orElseGet(WorkerLifecycle::defaultId);
        List<String> queues;
        try {
            queues = Queues.parseList(w.queues());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dagctl.worker.queues: " + e.getMessage(), e);
        }
        return new WorkerConfig(
                connection,
                workerId,
                w.instanceId(),
                w.slots(),
                execution,
                timing,
                w.logMaxBytes(),
                w.dispatchReads(),
                queues);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "worker";
        }
        return host + "-" + ProcessHandle.current().pid();
    }
}
