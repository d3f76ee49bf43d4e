package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorLifecycle;
import io.dagctl.coordinator.app.CoordinatorSettings;
import io.dagctl.coordinator.app.EngineConfigs;
import io.dagctl.coordinator.cluster.WorkerDirectory;
import io.dagctl.coordinator.engine.OwnedWork;
import io.dagctl.core.event.Topics;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.report.RunReport;
import io.dagctl.core.report.TaskPage;
import io.dagctl.core.report.TaskReport;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The workers as their statuses say, and which queues they serve: a task dispatched to a queue no running worker
 * serves waits (it is not lost), and this says so in its report ({@code waiting_for}) and in two gauges per queue,
 * {@code dagctl_queue_waiting} (QUEUED tasks of the runs this instance owns) and {@code dagctl_queue_workers}.
 */
@ApplicationScoped
public class QueueWatch {

    private static final System.Logger LOG = System.getLogger(QueueWatch.class.getName());
    private static final Duration REFRESH_EVERY = Duration.ofSeconds(5);

    private final CoordinatorSettings settings;
    private final MeterRegistry registry;
    private final OwnedWork work;
    private final Set<String> gauged = ConcurrentHashMap.newKeySet();
    private volatile Map<String, Integer> workersPerQueue = Map.of();
    private WorkerDirectory directory;
    private ScheduledExecutorService refresher;

    public QueueWatch(CoordinatorSettings settings, MeterRegistry registry, CoordinatorLifecycle lifecycle) {
        this.settings = settings;
        this.registry = registry;
        this.work = lifecycle.work();
    }

    void onStart(@Observes StartupEvent event) {
        directory = new WorkerDirectory(
                        EngineConfigs.clientProperties(settings),
                        new Topics(settings.topics().prefix()).workers())
                .start();
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "queue-watch");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleAtFixedRate(this::refresh, 0, REFRESH_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
        if (directory != null) {
            directory.close();
        }
    }

    /** Every worker heard from lately. */
    List<WorkerDirectory.Seen> workers() {
        return directory == null ? List.of() : directory.workers();
    }

    private void refresh() {
        try {
            if (directory.isCaughtUp()) {
                workersPerQueue = directory.workersPerQueue(Instant.now());
                workersPerQueue.keySet().forEach(this::gauge);
            }
            work.queues().forEach(this::gauge);
        } catch (RuntimeException e) {
            // the next tick tries again; a scheduled task that throws would never run again
            LOG.log(System.Logger.Level.WARNING, "queue gauges not refreshed", e);
        }
    }

    private void gauge(String queue) {
        if (gauged.add(queue)) {
            Gauge.builder("dagctl.queue.waiting", work, w -> w.queued(queue))
                    .tag("queue", queue)
                    .description("Task attempts dispatched to the queue and not yet started, in the runs this"
                            + " instance owns")
                    .register(registry);
            Gauge.builder("dagctl.queue.workers", this, watch -> watch.workersPerQueue.getOrDefault(queue, 0))
                    .tag("queue", queue)
                    .description("Running workers that serve the queue (a worker silent for 20 s is not counted)")
                    .register(registry);
        }
    }

    /** What a task waiting on a queue without workers waits for. */
    static String noWorkerFor(String queue) {
        return "a worker serving queue '" + queue + "' (none is running; start one with dagctl.worker.queues=" + queue
                + ")";
    }

    /** The report, each QUEUED task of a queue that no running worker serves saying so. */
    RunReport explain(RunReport report) {
        return report.withTasks(explain(report.tasks()));
    }

    TaskPage explain(TaskPage page) {
        return new TaskPage(page.runId(), explain(page.tasks()), page.counts(), page.nextCursor());
    }

    TaskReport explain(TaskReport task) {
        return task == null ? null : explain(List.of(task)).get(0);
    }

    private List<TaskReport> explain(List<TaskReport> tasks) {
        if (directory == null
                || !directory.isCaughtUp()
                || tasks.stream().noneMatch(t -> t.status() == TaskStatus.QUEUED)) {
            return tasks;
        }
        Map<String, Integer> served = directory.workersPerQueue(Instant.now());
        return tasks.stream()
                .map(t -> t.status() == TaskStatus.QUEUED
                                && t.waitingFor() == null
                                && served.getOrDefault(t.queueName(), 0) == 0
                        ? t.waiting(noWorkerFor(t.queueName()))
                        : t)
                .toList();
    }
}
