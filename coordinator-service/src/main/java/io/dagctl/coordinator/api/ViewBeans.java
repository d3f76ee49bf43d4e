package io.dagctl.coordinator.api;

import io.dagctl.coordinator.view.RunViews;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The run pages' snapshot and layout caches, one per coordinator, and the layout engine warmed at start. */
public class ViewBeans {

    @Produces
    @Singleton
    RunViews runViews() {
        return new RunViews();
    }

    void warmUp(@Observes StartupEvent event) {
        Thread warm = new Thread(RunViews::warmUp, "graph-layout-warm-up");
        warm.setDaemon(true);
        warm.start();
    }
}
