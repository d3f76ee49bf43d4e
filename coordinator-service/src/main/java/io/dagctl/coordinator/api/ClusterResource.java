package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorLifecycle;
import io.dagctl.coordinator.app.CoordinatorSettings;
import io.dagctl.coordinator.cluster.MeterHistory;
import io.dagctl.coordinator.cluster.WorkerDirectory;
import io.dagctl.coordinator.query.OwnerForwarder;
import io.dagctl.coordinator.query.RunListing;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.WorkerStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

/**
 * The cluster as the UI's cluster page shows it: the coordinator instances and the run partitions each owns, the
 * workers and their slots (from the workers topic), and each instance's dispatch rate, latency and queue over the last
 * ten minutes (sampled from its own meters every five seconds).
 */
@ApplicationScoped
@Path("/api/v1/cluster")
@Produces(MediaType.APPLICATION_JSON)
public class ClusterResource {

    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(5);

    /** What one instance says of itself. */
    public record InstanceMeters(String hostPort, String state, List<MeterHistory.Sample> samples) {}

    public record Coordinator(
            String hostPort,
            boolean self,
            String state,
            List<Integer> runPartitions,
            List<Integer> standbyPartitions,
            List<MeterHistory.Sample> samples) {}

    public record Worker(
            String workerId,
            String host,
            int slots,
            int busy,
            Instant startedAt,
            Instant lastSeen,
            boolean silent,
            List<String> queues) {}

    public record Cluster(
            List<Coordinator> coordinators, List<Worker> workers, int slots, int busySlots, long queued, Instant at) {}

    private final CoordinatorLifecycle lifecycle;
    private final OwnerForwarder forwarder;
    private final CoordinatorSettings settings;
    private final MeterRegistry registry;
    private final MeterHistory history = new MeterHistory();
    private final QueueWatch queues;
    private ScheduledExecutorService sampler;

    public ClusterResource(
            CoordinatorLifecycle lifecycle,
            OwnerForwarder forwarder,
            CoordinatorSettings settings,
            MeterRegistry registry,
            QueueWatch queues) {
        this.queues = queues;
        this.lifecycle = lifecycle;
        this.forwarder = forwarder;
        this.settings = settings;
        this.registry = registry;
    }

    void onStart(@Observes StartupEvent event) {
        sampler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "meter-history");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleAtFixedRate(this::sample, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }

    private void sample() {
        double dispatched = registry.find("dagctl.tasks.dispatched").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        double finished = registry.find("dagctl.tasks.finished").counters().stream()
                .mapToDouble(Counter::count)
                .sum();
        long latencyCount = 0;
        double latencyTotal = 0;
        for (Timer timer : registry.find("dagctl.dispatch.latency").timers()) {
            latencyCount += timer.count();
            latencyTotal += timer.totalTime(TimeUnit.MILLISECONDS);
        }
        long queued = (long) registry.find("dagctl.queue.depth").gauges().stream()
                .mapToDouble(Gauge::value)
                .sum();
        long running = (long) registry.find("dagctl.tasks.active").gauges().stream()
                .filter(g -> "running".equalsIgnoreCase(g.getId().getTag("status")))
                .mapToDouble(Gauge::value)
                .sum();
        history.add(new MeterHistory.Reading(
                System.currentTimeMillis(), dispatched, finished, latencyCount, latencyTotal, queued, running));
    }

    @GET
    @Operation(
            summary = "Coordinator instances and the run partitions each owns, workers and their slots, and each"
                    + " instance's dispatch rate, latency and queue depth over the last ten minutes")
    public Response cluster(
            @Parameter(hidden = true) @QueryParam("scope") String scope,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        String state = lifecycle.engine().state();
        if ("local".equals(scope)) {
            return Response.ok(Events.toJsonText(new InstanceMeters("", state, history.samples())))
                    .build();
        }
        Response refused = PeerListings.refusal(lifecycle, 1, 0, 1);
        if (refused != null) {
            return refused;
        }
        List<RunListing.Instance> instances = lifecycle.engine().listing().instances();
        Map<String, InstanceMeters> meters = new HashMap<>();
        for (RunListing.Instance instance : instances) {
            if (instance.self()) {
                meters.put(instance.hostPort(), new InstanceMeters(instance.hostPort(), state, history.samples()));
                continue;
            }
            OwnerForwarder.Answer answer =
                    forwarder.get(instance.hostPort(), "/api/v1/cluster?scope=local", authorization);
            if (answer.status() == 200) {
                meters.put(
                        instance.hostPort(),
                        Events.fromJson(
                                answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8), InstanceMeters.class));
            }
        }
        List<Coordinator> coordinators = new ArrayList<>();
        long queued = 0;
        for (RunListing.Instance instance : instances) {
            InstanceMeters m = meters.get(instance.hostPort());
            List<MeterHistory.Sample> samples = m == null ? List.of() : m.samples();
            if (!samples.isEmpty()) {
                queued += samples.get(samples.size() - 1).queued();
            }
            coordinators.add(new Coordinator(
                    instance.hostPort(),
                    instance.self(),
                    m == null ? "UNREACHABLE" : m.state(),
                    instance.runPartitions(),
                    instance.standbyPartitions(),
                    samples));
        }
        Instant now = Instant.now();
        List<Worker> workers = new ArrayList<>();
        int slots = 0;
        int busy = 0;
        for (WorkerDirectory.Seen seen : queues.workers()) {
            WorkerStatus w = seen.status();
            boolean silent = seen.receivedAt().isBefore(now.minus(WorkerDirectory.SILENT_AFTER));
            workers.add(new Worker(
                    w.workerId(), w.host(), w.slots(), w.busy(), w.startedAt(), seen.receivedAt(), silent, w.queues()));
            if (!silent) {
                slots += w.slots();
                busy += w.busy();
            }
        }
        return Response.ok(Events.toJsonText(new Cluster(coordinators, workers, slots, busy, queued, now)))
                .build();
    }
}
