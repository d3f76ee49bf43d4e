package io.dagctl.core.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.TaskSpec;
import io.dagctl.core.model.TaskType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EventsTest {

    private static final Instant T = Instant.parse("2026-11-26T10:15:30.123Z");

    @Test
    void commandsRoundTripWithTheirTypeAndVersion() {
        DagSpec dag = new DagSpec(
                "d",
                List.of(new TaskSpec(
                        "a",
                        TaskType.PYTHON,
                        "print(1)",
                        List.of(),
                        2,
                        Duration.ofSeconds(30),
                        Duration.ofSeconds(1),
                        Duration.ofMinutes(5),
                        Map.of("K", "V"))));
        RunCommand submitted = RunSubmitted.of("r1", dag, T);
        String json = Events.toJsonText(submitted);
        assertTrue(json.contains("\"event\":\"RunSubmitted\""), json);
        assertTrue(json.contains("\"v\":1"), json);
        assertTrue(json.contains("\"submitted_at\":\"2026-11-26T10:15:30.123Z\""), json);
        assertTrue(json.contains("\"max_retries\":2"), json);
        assertEquals(submitted, Events.fromJson(json.getBytes(StandardCharsets.UTF_8), RunCommand.class));
    }

    @Test
    void workerEventsRoundTrip() {
        WorkerEvent finished =
                TaskFinished.of("r1/a/2", "w1", 3, Outcome.FAILED, "out", "err", T, T.plusSeconds(1), null);
        WorkerEvent back = Events.fromJson(Events.toJson(finished), WorkerEvent.class);
        assertEquals(finished, back);
        assertEquals(new AttemptId("r1", "a", 2), back.attempt());
        assertInstanceOf(
                TaskStarted.class, Events.fromJson(Events.toJson(TaskStarted.of("r/a/1", "w", T)), WorkerEvent.class));
    }

    @Test
    void dispatchRoundTrips() {
        TaskDispatched d = TaskDispatched.of(
                new AttemptId("r", "a", 1),
                TaskType.BASH,
                "echo hi",
                Map.of("X", "1"),
                Duration.ofSeconds(5),
                10_000,
                T,
                T.plusSeconds(60),
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");
        TaskDispatched back = Events.fromJson(Events.toJson(d), TaskDispatched.class);
        assertEquals(d, back);
        assertEquals(TaskType.BASH, back.taskType());
        assertEquals("r/a/1", back.attemptId());
    }

    @Test
    void unknownFieldsFromANewerWriterAreIgnored() {
        String json = "{\"event\":\"TaskHeartbeat\",\"v\":2,\"attempt_id\":\"r/a/1\",\"worker_id\":\"w\","
                + "\"at\":\"2026-11-26T10:15:30Z\",\"cpu\":0.5}";
        assertInstanceOf(
                TaskHeartbeat.class, Events.fromJson(json.getBytes(StandardCharsets.UTF_8), WorkerEvent.class));
    }

    @Test
    void garbageIsAMalformedEvent() {
        assertThrows(
                MalformedEventException.class,
                () -> Events.fromJson("not json".getBytes(StandardCharsets.UTF_8), WorkerEvent.class));
        assertThrows(
                MalformedEventException.class,
                () -> Events.fromJson("{\"event\":\"Nope\"}".getBytes(StandardCharsets.UTF_8), RunCommand.class));
    }

    @Test
    void attemptIdParsesBack() {
        assertEquals(new AttemptId("run-1", "load.x", 12), AttemptId.parse("run-1/load.x/12"));
        assertThrows(IllegalArgumentException.class, () -> AttemptId.parse("a/b"));
        assertThrows(IllegalArgumentException.class, () -> AttemptId.parse("a/b/zero"));
    }
}
