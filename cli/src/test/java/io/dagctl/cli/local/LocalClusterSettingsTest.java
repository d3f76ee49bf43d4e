package io.dagctl.cli.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dagctl.core.model.DagSpec;
import io.dagctl.core.parse.DagParser;
import org.junit.jupiter.api.Test;

class LocalClusterSettingsTest {

    private static DagSpec flat(int tasks) throws Exception {
        StringBuilder yaml = new StringBuilder("name: flat\ntasks:\n");
        for (int i = 0; i < tasks; i++) {
            yaml.append("  - {name: t").append(i).append(", type: noop}\n");
        }
        return new DagParser().parse(yaml.toString(), "flat.yaml");
    }

    @Test
    void aSmallDagKeepsTheCoordinatorsStateOnTheHeap() throws Exception {
        var settings = LocalCluster.oneRunSettings(flat(LocalCluster.HEAP_STATE_MAX_TASKS));
        assertEquals("in-memory", settings.get("DAGCTL_COORDINATOR_STATE_STORES"));
        assertEquals("2", settings.get("DAGCTL_TOPICS_RUN_PARTITIONS"));
    }

    @Test
    void aLargerDagOrAMappedTaskKeepsRocksDb() throws Exception {
        assertNull(LocalCluster.oneRunSettings(flat(LocalCluster.HEAP_STATE_MAX_TASKS + 1))
                .get("DAGCTL_COORDINATOR_STATE_STORES"));
        DagSpec mapped = new DagParser()
                .parse("name: m\ntasks:\n  - {name: each, command: \"true\", for_each: [1, 2, 3]}\n", "m.yaml");
        var settings = LocalCluster.oneRunSettings(mapped);
        assertNull(settings.get("DAGCTL_COORDINATOR_STATE_STORES"));
        assertEquals("2", settings.get("DAGCTL_TOPICS_RUN_PARTITIONS"));
    }
}
