package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dagctl.core.event.Events;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.model.TaskStatus;
import io.dagctl.core.model.TaskType;
import io.dagctl.core.model.TriggerRule;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Task entries as the stores hold them: written before trigger rules, and with their new parts. */
class TaskEntryJsonTest {

    private static TaskSpec spec(List<String> dependencies) {
        return new TaskSpec(
                "join",
                TaskType.BASH,
                "true",
                dependencies,
                0,
                Duration.ofMinutes(5),
                Duration.ofSeconds(1),
                Duration.ofMinutes(5),
                Map.of());
    }

    @Test
    void anEntryWrittenBeforeTriggerRulesWaitsForItsDependenciesAsAllSuccessDid() throws Exception {
        ObjectNode json = (ObjectNode) Events.mapper()
                .readTree(Events.toJson(new TaskEntry("r", 2, spec(List.of("a", "b")), List.of())));
        json.remove("upstream");
        json.put("unfinished_dependencies", 2);
        TaskEntry old = Events.fromJson(Events.mapper().writeValueAsBytes(json), TaskEntry.class);
        assertEquals(TriggerRule.Decision.WAIT, old.decide());
        old.graph().upstreamEnded(TaskStatus.SUCCESS);
        assertEquals(TriggerRule.Decision.WAIT, old.decide());
        old.graph().upstreamEnded(TaskStatus.SUCCESS);
        assertEquals(TriggerRule.Decision.RUN, old.decide());
        String rewritten = new String(Events.toJson(old));
        assertFalse(rewritten.contains("unfinished_dependencies"), rewritten);
        assertTrue(rewritten.contains("\"upstream\":{"), rewritten);

        TaskEntry failed = Events.fromJson(Events.mapper().writeValueAsBytes(json), TaskEntry.class);
        failed.graph().upstreamEnded(TaskStatus.FAILED);
        assertEquals(TriggerRule.Decision.UPSTREAM_FAILED, failed.decide());
    }

    @Test
    void mappedStateAndInstancesSurviveTheStore() throws Exception {
        TaskEntry mapped = new TaskEntry("r", 0, spec(List.of()), List.of("after"));
        mapped.mapped(3, java.time.Instant.EPOCH);
        mapped.instancesCreatedUpTo(3);
        mapped.mapping().instances().ended(TaskStatus.SUCCESS);
        TaskEntry back = Events.fromJson(Events.toJson(mapped), TaskEntry.class);
        assertEquals(3, back.mapping().instances().count());
        assertEquals(3, back.mapping().instances().created());
        TaskEntry instance = TaskEntry.instanceOf(back, 1, Map.of("region", "eu"));
        TaskEntry instanceBack = Events.fromJson(Events.toJson(instance), TaskEntry.class);
        assertEquals(
                new InstanceOf("join", 1, Map.of("region", "eu")),
                instanceBack.mapping().instanceOf());
        assertEquals("join[1]", instanceBack.name());
        assertFalse(
                new String(Events.toJson(new TaskEntry("r", 0, spec(List.of()), List.of()))).contains("instance"),
                "a plain task writes no mapping parts");
    }

    @Test
    void earlierAttemptsAreKeptBoundedAndSurviveTheStore() throws Exception {
        TaskEntry task = new TaskEntry("r", 0, spec(List.of()), List.of());
        java.time.Instant t = java.time.Instant.parse("2026-12-06T10:00:00Z");
        for (int attempt = 1; attempt <= 13; attempt++) {
            task.queueNewAttempt(t);
            task.started("w" + attempt, t.plusSeconds(1), t.plusSeconds(60), t.plusSeconds(90));
            task.recordResult(io.dagctl.core.event.TaskFinished.of(
                    task.currentAttempt().toString(),
                    "w" + attempt,
                    3,
                    io.dagctl.core.event.Outcome.FAILED,
                    "",
                    "",
                    t.plusSeconds(1),
                    t.plusSeconds(2),
                    "exit 3"));
            task.scheduleRetry();
            t = t.plusSeconds(10);
        }
        task.queueNewAttempt(t);
        TaskEntry stored = Events.fromJson(Events.toJson(task), TaskEntry.class);
        List<io.dagctl.core.report.AttemptReport> past = stored.toReport().pastAttempts();
        assertEquals(io.dagctl.core.report.TaskReport.PAST_ATTEMPTS_KEPT, past.size(), "the last ten are kept");
        assertEquals(4, past.get(0).attempt());
        io.dagctl.core.report.AttemptReport last = past.get(past.size() - 1);
        assertEquals(13, last.attempt());
        assertEquals("FAILED", last.outcome());
        assertEquals(3, last.exitCode());
        assertEquals("w13", last.workerId());
        assertEquals(14, stored.attempt());

        java.time.Instant lostAt = t.plusSeconds(100);
        stored.started("w14", t.plusSeconds(1), t.plusSeconds(60), t.plusSeconds(90));
        stored.replaced("worker w14 went silent");
        stored.queueNewAttempt(lostAt);
        io.dagctl.core.report.AttemptReport lost =
                stored.toReport().pastAttempts().get(io.dagctl.core.report.TaskReport.PAST_ATTEMPTS_KEPT - 1);
        assertEquals("LOST", lost.outcome());
        assertEquals(lostAt, lost.endedAt(), "an attempt that never reported ends when it was given up");

        TaskEntry once = new TaskEntry("r", 0, spec(List.of()), List.of());
        once.queueNewAttempt(t);
        assertFalse(new String(Events.toJson(once)).contains("past_attempts"), "a first attempt writes no history");
    }

    @Test
    void theCurrentAttemptIsStoredAtTheEntrysTopLevelAsBefore() throws Exception {
        java.time.Instant t = java.time.Instant.parse("2026-12-07T10:00:00Z");
        TaskEntry task = new TaskEntry("r", 0, spec(List.of()), List.of());
        task.queueNewAttempt(t);
        task.started("w1", t.plusSeconds(1), t.plusSeconds(60), t.plusSeconds(90));
        task.replaced("worker w1 went silent");
        ObjectNode json = (ObjectNode) Events.mapper().readTree(Events.toJson(task));
        for (String field : List.of(
                "queued_at",
                "started_at",
                "lease_expires_at",
                "report_due_at",
                "worker_id",
                "error",
                "attempt_outcome")) {
            assertTrue(json.has(field), field + " in " + json);
        }
        assertFalse(json.has("current"), json.toString());

        // an entry as an earlier version wrote it
        String earlier =
                "{\"run_id\":\"r\",\"index\":0,\"spec\":" + Events.mapper().writeValueAsString(spec(List.of()))
                        + ",\"dependents\":[],\"dependents_released\":0,\"upstream\":" + json.get("upstream")
                        + ",\"rendered_command\":null"
                        + ",\"status\":\"RUNNING\",\"attempt\":2,\"retries_used\":1,\"lost_attempts\":0,"
                        + "\"not_started_in_arow\":0,\"queued_at\":\"2026-12-07T10:00:00Z\","
                        + "\"started_at\":\"2026-12-07T10:00:01Z\",\"lease_expires_at\":\"2026-12-07T10:01:00Z\","
                        + "\"report_due_at\":\"2026-12-07T10:01:30Z\",\"ended_at\":null,\"exit_code\":null,\"worker_id\":\"w2\","
                        + "\"stdout_tail\":\"out\",\"stderr_tail\":null,\"error\":\"exit 3\",\"outputs\":{\"rows\":7},"
                        + "\"attempt_outcome\":\"FAILED\"}";
        TaskEntry read = Events.fromJson(earlier.getBytes(java.nio.charset.StandardCharsets.UTF_8), TaskEntry.class);
        assertEquals("w2", read.current().workerId());
        assertEquals(2, read.attempt());
        java.util.Set<String> earlierKeys = new java.util.TreeSet<>();
        Events.mapper().readTree(earlier).fieldNames().forEachRemaining(earlierKeys::add);
        java.util.Set<String> writtenKeys = new java.util.TreeSet<>();
        Events.mapper().readTree(Events.toJson(read)).fieldNames().forEachRemaining(writtenKeys::add);
        assertEquals(earlierKeys, writtenKeys, "the entry is written in the layout it was read in");
        assertEquals(t.plusSeconds(60), read.current().leaseExpiresAt());
        assertEquals(t.plusSeconds(90), read.current().reportDueAt());
        assertEquals(Map.of("rows", 7), read.current().outputs());
        assertEquals("out", read.toReport().stdoutTail());
        read.heartbeat(t.plusSeconds(120));
        read.replaced("worker w2 went silent");
        read.queueNewAttempt(t.plusSeconds(200));
        assertEquals(
                "LOST",
                read.toReport().pastAttempts().get(0).outcome(),
                "the attempt read from the earlier layout goes into the history");
    }
}
