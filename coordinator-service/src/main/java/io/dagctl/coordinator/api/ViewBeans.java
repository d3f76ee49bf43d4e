package io.dagctl.coordinator.api;

import io.dagctl.coordinator.view.RunViews;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The run pages' snapshot and layout caches, one per coordinator. */
public class ViewBeans {

    @Produces
    @Singleton
    RunViews runViews() {
        return new RunViews();
    }
}
