package io.dagctl.e2e.chaos;

/** One row of e2e/target/chaos-report.json. */
record ScenarioResult(
        String scenario,
        int tasksExpected,
        int tasksSucceeded,
        int tasksLost,
        int runsStuck,
        long duplicateExecutions,
        long zombieReports,
        Long failoverGapMs,
        Long deadWorkerGapMs,
        int kills,
        long wallMs) {

    boolean passed() {
        return tasksLost == 0 && runsStuck == 0;
    }
}
