package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Every case of the state machine again, with the stores a one-run local cluster keeps on the heap. */
class InMemoryStoresRunStateMachineTopologyTest extends RunStateMachineTopologyTest {

    @Override
    protected CoordinatorConfig config(Path stateDir) {
        return super.config(stateDir).withStateStores(CoordinatorConfig.StateStores.IN_MEMORY);
    }

    @Test
    void theStoresAreOnTheHeap() {
        for (String store : new String[] {
            StoreNames.RUNS,
            StoreNames.TASKS,
            StoreNames.TIMERS,
            StoreNames.RUN_INDEX,
            StoreNames.DAGS,
            StoreNames.DAG_VERSIONS,
            StoreNames.DAG_TICKS
        }) {
            assertFalse(driver.getKeyValueStore(store).persistent(), store);
        }
    }
}
