package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.dagctl.core.event.Events;
import io.dagctl.core.event.TaskDispatched;
import io.dagctl.core.event.WireHeaders;
import io.dagctl.core.model.Queues;
import io.dagctl.core.model.TaskStatus;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/** Each task goes to its queue's dispatch topic; the default queue keeps the topic every task went to before. */
class QueuesTopologyTest extends TopologyTestBase {

    @Test
    void aTaskIsDispatchedToItsQueuesTopicAndTheRestToTheDefaultOne() throws Exception {
        TestOutputTopic<String, byte[]> gpu =
                driver.createOutputTopic(TOPICS.dispatch("gpu"), new StringDeserializer(), new ByteArrayDeserializer());
        submit("q1", """
                name: q
                queue: gpu
                tasks:
                  - {name: train, command: "true"}
                  - {name: report, command: "true", queue: default}
                """);
        List<TestRecord<String, byte[]>> onGpu = gpu.readRecordsToList();
        assertEquals(1, onGpu.size());
        TaskDispatched train = Events.fromJson(onGpu.get(0).value(), TaskDispatched.class);
        assertEquals("train", train.task());
        assertEquals("gpu", train.queueName());
        assertEquals(
                "gpu",
                new String(onGpu.get(0).headers().lastHeader(WireHeaders.QUEUE).value(), StandardCharsets.US_ASCII));
        List<TaskDispatched> onDefault = dispatched();
        assertEquals(
                List.of("report"), onDefault.stream().map(TaskDispatched::task).toList());
        assertNull(onDefault.get(0).queue(), "the default queue is not written");
        assertEquals(Queues.DEFAULT, onDefault.get(0).queueName());
        assertEquals("gpu", task("q1", "train").toReport().queue());
        assertNull(task("q1", "report").toReport().queue());

        succeed(train);
        assertEquals(TaskStatus.SUCCESS, task("q1", "train").status(), "a result is a result, whatever the queue");
        assertEquals("dagctl.dispatch.gpu", TOPICS.dispatch("gpu"));
        assertEquals("dagctl.dispatch", TOPICS.dispatch(Queues.DEFAULT));
    }

    @Test
    void aRetryGoesToTheSameQueue() throws Exception {
        TestOutputTopic<String, byte[]> gpu =
                driver.createOutputTopic(TOPICS.dispatch("gpu"), new StringDeserializer(), new ByteArrayDeserializer());
        submit("q2", "name: q\ntasks:\n  - {name: t, command: 'false', queue: gpu, max_retries: 1, retry_delay: 0}\n");
        TaskDispatched first = Events.fromJson(gpu.readValue(), TaskDispatched.class);
        fail(first);
        advance(java.time.Duration.ofSeconds(1));
        TaskDispatched second = Events.fromJson(gpu.readValue(), TaskDispatched.class);
        assertEquals(2, second.attempt());
        assertEquals("gpu", second.queueName());
        assertEquals(List.of(), dispatched());
    }
}
