package io.dagctl.coordinator.engine;

import java.nio.file.Path;

/** The run index's scans and retention again, on the stores a one-run local cluster keeps on the heap. */
class InMemoryStoresRunIndexTopologyTest extends RunIndexTopologyTest {

    @Override
    protected CoordinatorConfig config(Path stateDir) {
        return super.config(stateDir).withStateStores(CoordinatorConfig.StateStores.IN_MEMORY);
    }
}
