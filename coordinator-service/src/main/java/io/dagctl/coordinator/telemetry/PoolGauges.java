package io.dagctl.coordinator.telemetry;

import io.dagctl.coordinator.app.CoordinatorLifecycle;
import io.dagctl.coordinator.engine.PoolEntry;
import io.dagctl.coordinator.query.PoolQueries;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Gauges of the pools this instance owns, read from its store every few seconds: {@code dagctl_pool_slots},
 * {@code dagctl_pool_in_use} and {@code dagctl_pool_waiting}, by pool. Each pool has one owner, so a sum over the
 * instances is the cluster's; a pool that moved to another instance reads 0 here.
 */
@ApplicationScoped
public class PoolGauges {

    private static final System.Logger LOG = System.getLogger(PoolGauges.class.getName());
    private static final Duration REFRESH_EVERY = Duration.ofSeconds(5);
    private static final PoolEntry NONE = new PoolEntry("", 0, 0, 0, 0, null, null);

    private final MeterRegistry registry;
    private final CoordinatorLifecycle lifecycle;
    private final Map<String, PoolEntry> owned = new ConcurrentHashMap<>();
    private ScheduledExecutorService refresher;

    public PoolGauges(MeterRegistry registry, CoordinatorLifecycle lifecycle) {
        this.registry = registry;
        this.lifecycle = lifecycle;
    }

    void onStart(@Observes StartupEvent event) {
        refresher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pool-gauges");
            t.setDaemon(true);
            return t;
        });
        refresher.scheduleAtFixedRate(this::refresh, 1, REFRESH_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    void onStop(@Observes ShutdownEvent event) {
        if (refresher != null) {
            refresher.shutdownNow();
        }
    }

    private void refresh() {
        PoolQueries queries = lifecycle.engine().poolQueries();
        if (queries == null || !lifecycle.engine().isRunning()) {
            return;
        }
        try {
            Map<String, PoolEntry> now = new HashMap<>();
            queries.local().forEach(p -> now.put(p.name(), p));
            now.keySet().stream().filter(name -> !owned.containsKey(name)).forEach(this::register);
            owned.replaceAll((name, before) -> now.getOrDefault(name, NONE));
            owned.putAll(now);
        } catch (RuntimeException e) {
            // moving or restoring: the next tick reads again
            LOG.log(System.Logger.Level.DEBUG, "pool gauges not refreshed: {0}", e.getMessage());
        }
    }

    private void register(String pool) {
        Gauge.builder("dagctl.pool.slots", owned, m -> {
                    Integer slots = m.getOrDefault(pool, NONE).slots();
                    return slots == null ? 0 : slots;
                })
                .tag("pool", pool)
                .description("The pool's size (0 while not set), on the instance that owns it")
                .register(registry);
        Gauge.builder(
                        "dagctl.pool.in.use",
                        owned,
                        m -> m.getOrDefault(pool, NONE).inUse())
                .tag("pool", pool)
                .description("Slots of the pool held by queued or running attempts")
                .register(registry);
        Gauge.builder(
                        "dagctl.pool.waiting",
                        owned,
                        m -> m.getOrDefault(pool, NONE).waiting())
                .tag("pool", pool)
                .description("Attempts waiting for slots of the pool")
                .register(registry);
    }
}
