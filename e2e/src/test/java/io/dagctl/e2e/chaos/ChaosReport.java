package io.dagctl.e2e.chaos;

import java.util.List;

/** The chaos results as a table for the console. */
final class ChaosReport {

    private ChaosReport() {}

    static String table(List<ScenarioResult> results, boolean quick) {
        StringBuilder out = new StringBuilder("\nchaos suite (" + (quick ? "quick" : "full") + ")\n");
        String format = "%-17s %8s %9s %5s %6s %10s %16s %12s %7s %11s %12s %5s %8s %s%n";
        out.append(String.format(
                format,
                "scenario",
                "expected",
                "succeeded",
                "lost",
                "stuck",
                "duplicates",
                "dups_not_killed",
                "dead_letters",
                "zombies",
                "failover_ms",
                "deadworker_ms",
                "kills",
                "wall_s",
                "result"));
        for (ScenarioResult r : results) {
            out.append(String.format(
                    format,
                    r.scenario(),
                    r.tasksExpected(),
                    r.tasksSucceeded(),
                    r.tasksLost(),
                    r.runsStuck(),
                    r.duplicateExecutions(),
                    r.duplicatesNotAfterAKill(),
                    r.deadLetters(),
                    r.zombieReports(),
                    r.failoverGapMs() == null ? "-" : r.failoverGapMs(),
                    r.deadWorkerGapMs() == null ? "-" : r.deadWorkerGapMs(),
                    r.kills(),
                    r.wallMs() / 1000,
                    r.passed() ? "PASS" : "FAIL"));
        }
        return out.toString();
    }
}
