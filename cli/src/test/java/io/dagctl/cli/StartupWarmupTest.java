package io.dagctl.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StartupWarmupTest {

    @Test
    void commandsThatCallTheApiGetTheHttpClientEarly() {
        assertTrue(StartupWarmup.callsTheApi(new String[] {"submit", "-f", "dag.yaml", "--wait"}));
        assertTrue(StartupWarmup.callsTheApi(new String[] {"dags", "apply", "-f", "dag.yaml"}));
        assertTrue(StartupWarmup.callsTheApi(new String[] {"run", "-f", "dag.yaml"}));
    }

    @Test
    void offlineCommandsAndInformationOptionsDoNot() {
        assertFalse(StartupWarmup.callsTheApi(new String[] {"validate", "-f", "submit.yaml"}));
        assertFalse(StartupWarmup.callsTheApi(new String[] {"graph", "-f", "dag.yaml"}));
        assertFalse(StartupWarmup.callsTheApi(new String[] {"--version"}));
        assertFalse(StartupWarmup.callsTheApi(new String[] {"submit", "--help"}));
        assertFalse(StartupWarmup.callsTheApi(new String[] {}));
    }
}
