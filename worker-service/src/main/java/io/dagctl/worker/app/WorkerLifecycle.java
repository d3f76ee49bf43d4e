package io.dagctl.worker.app;

import io.dagctl.core.event.Topics;
import io.dagctl.worker.consume.WorkerConfig;
import io.dagctl.worker.consume.WorkerEngine;
import io.dagctl.worker.exec.ExecutionSettings;
import io.dagctl.worker.exec.Interpreters;
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

/** Starts the worker engine with the application; on SIGTERM it drains (see WorkerEngine) before the JVM exits. */
@ApplicationScoped
public class WorkerLifecycle {

    private final WorkerSettings settings;
    private final MeterRegistry registry;
    private final OpenTelemetry openTelemetry;
    private volatile WorkerEngine engine;

    public WorkerLifecycle(WorkerSettings settings, MeterRegistry registry, OpenTelemetry openTelemetry) {
        this.settings = settings;
        this.registry = registry;
        this.openTelemetry = openTelemetry;
    }

    void onStart(@Observes StartupEvent event) {
        WorkerSettings.Worker w = settings.worker();
        String workerId = w.id().orElseGet(WorkerLifecycle::defaultId);
        WorkerConfig config = new WorkerConfig(settings.kafka().bootstrapServers(), new Topics(settings.topics().prefix()),
                w.groupId(), w.slots(), workerId,
                new ExecutionSettings(Path.of(w.workDir()), w.tailBytes(), w.killGrace(), w.keepWorkDirs()),
                w.heartbeatInterval(), w.drainGrace(), w.sessionTimeout(), w.logMaxBytes());
        engine = new WorkerEngine(config, new Interpreters(w.bash(), w.python()), Clock.systemUTC(),
                new WorkerMetrics(registry, w.slots()), new AttemptTracer(openTelemetry, workerId));
        engine.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (engine != null) {
            engine.close();
        }
    }

    /** The running engine; null until the application has started. */
    WorkerEngine engine() {
        return engine;
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
