package io.dagctl.core.event;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.dagctl.core.model.AttemptId;
import io.dagctl.core.model.Queues;
import io.dagctl.core.model.TaskType;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * An attempt handed to the worker fleet, on the dispatch topic keyed by attempt id.
 *
 * @param leaseMs how long the attempt may go without a heartbeat before the coordinator declares it lost
 * @param startBy a worker that takes this record later does not run it: by then the coordinator has queued a new
 *     attempt (null: no deadline)
 * @param traceparent W3C trace context of the attempt's span (the worker's execution span is its child), or null;
 *     also sent as the record's {@code traceparent} header
 * @param queue the queue whose topic it went to; null for the default queue
 */
public record TaskDispatched(
        int v,
        String runId,
        String task,
        int attempt,
        String attemptId,
        String type,
        String command,
        Map<String, String> env,
        Duration timeout,
        long leaseMs,
        Instant dispatchedAt,
        Instant startBy,
        String traceparent,
        @JsonInclude(JsonInclude.Include.NON_NULL) String queue) {

    public TaskDispatched {
        env = env == null ? Map.of() : Map.copyOf(env);
        queue = Queues.DEFAULT.equals(queue) ? null : queue;
    }

    /** An attempt of the default queue. */
    public TaskDispatched(
            int v,
            String runId,
            String task,
            int attempt,
            String attemptId,
            String type,
            String command,
            Map<String, String> env,
            Duration timeout,
            long leaseMs,
            Instant dispatchedAt,
            Instant startBy,
            String traceparent) {
        this(
                v,
                runId,
                task,
                attempt,
                attemptId,
                type,
                command,
                env,
                timeout,
                leaseMs,
                dispatchedAt,
                startBy,
                traceparent,
                null);
    }

    /** The same attempt, for {@code queueName}'s workers. */
    public TaskDispatched inQueue(String queueName) {
        return new TaskDispatched(
                v,
                runId,
                task,
                attempt,
                attemptId,
                type,
                command,
                env,
                timeout,
                leaseMs,
                dispatchedAt,
                startBy,
                traceparent,
                queueName);
    }

    /** The queue it was dispatched to. */
    public String queueName() {
        return Queues.of(queue);
    }

    public static TaskDispatched of(
            AttemptId id,
            TaskType type,
            String command,
            Map<String, String> env,
            Duration timeout,
            long leaseMs,
            Instant dispatchedAt,
            Instant startBy,
            String traceparent) {
        return new TaskDispatched(
                Events.SCHEMA_VERSION,
                id.runId(),
                id.task(),
                id.attempt(),
                id.toString(),
                type.yamlName(),
                command,
                env,
                timeout,
                leaseMs,
                dispatchedAt,
                startBy,
                traceparent);
    }

    /** True when it is too late to start this attempt. */
    public boolean isStale(Instant now) {
        return startBy != null && now.isAfter(startBy);
    }

    public TaskType taskType() {
        return TaskType.fromYamlName(type).orElseThrow(() -> new IllegalArgumentException("unknown task type " + type));
    }
}
