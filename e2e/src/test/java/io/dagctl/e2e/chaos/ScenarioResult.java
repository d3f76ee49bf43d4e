package io.dagctl.e2e.chaos;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * One row of e2e/target/chaos-report.json.
 *
 * @param duplicatesNotAfterAKill re-executions that no killed worker explains (see {@link ChaosDag})
 * @param deadLetters records the services sent to the dead-letter topic during the scenario
 */
record ScenarioResult(
        String scenario,
        int tasksExpected,
        int tasksSucceeded,
        int tasksLost,
        int runsStuck,
        long duplicateExecutions,
        @JsonProperty("duplicates_not_after_a_kill") long duplicatesNotAfterAKill,
        long deadLetters,
        long zombieReports,
        Long failoverGapMs,
        Long deadWorkerGapMs,
        int kills,
        long wallMs) {

    boolean passed() {
        return tasksLost == 0 && runsStuck == 0;
    }
}
