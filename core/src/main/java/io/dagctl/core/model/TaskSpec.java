package io.dagctl.core.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One task of a DAG as the user declared it, with defaults applied.
 *
 * @param maxRetries how many times a failed attempt is retried (0 = run once)
 * @param retryDelay the wait before the first retry; the n-th retry waits {@code retryDelay * 2^(n-1)}
 * @param maxRetryDelay the cap on that wait
 * @param triggerRule when it runs given how its upstream tasks ended (null: {@link TriggerRule#ALL_SUCCESS})
 * @param when a condition (an expression) checked once the trigger rule says run; false skips the task (null: none)
 * @param forEach what the task maps over: a literal list, or a template that gives one (null: not mapped)
 * @param maxInstances the most instances {@code forEach} may give (null: {@link #DEFAULT_MAX_INSTANCES})
 */
public record TaskSpec(
        String name,
        TaskType type,
        String command,
        List<String> dependencies,
        int maxRetries,
        Duration timeout,
        Duration retryDelay,
        Duration maxRetryDelay,
        Map<String, String> env,
        // left out when unset: a task without them is written (and digested) as before they existed
        @JsonInclude(JsonInclude.Include.NON_NULL) TriggerRule triggerRule,
        @JsonInclude(JsonInclude.Include.NON_NULL) String when,
        @JsonInclude(JsonInclude.Include.NON_NULL) Object forEach,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer maxInstances,
        // null for the default queue, so that such a task is written (and digested) as before queues existed
        @JsonInclude(JsonInclude.Include.NON_NULL) String queue,
        // the cluster-wide pool whose slots it takes while it is queued or running, and how many (null: 1)
        @JsonInclude(JsonInclude.Include.NON_NULL) String pool,
        @JsonInclude(JsonInclude.Include.NON_NULL) Integer poolSlots) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofMinutes(5);
    public static final int DEFAULT_MAX_INSTANCES = 10_000;
    public static final int MAX_INSTANCES_LIMIT = 100_000;

    public TaskSpec {
        dependencies = List.copyOf(dependencies);
        env = Map.copyOf(env);
        triggerRule = triggerRule == TriggerRule.ALL_SUCCESS ? null : triggerRule;
        queue = Queues.DEFAULT.equals(queue) ? null : queue;
        poolSlots = pool == null || (poolSlots != null && poolSlots == 1) ? null : poolSlots;
    }

    /** How many of its pool's slots it takes (1 unless {@code pool_slots} says more). */
    public int poolSlotsTaken() {
        return poolSlots == null ? 1 : poolSlots;
    }

    /** A task of the default queue. */
    public TaskSpec(
            String name,
            TaskType type,
            String command,
            List<String> dependencies,
            int maxRetries,
            Duration timeout,
            Duration retryDelay,
            Duration maxRetryDelay,
            Map<String, String> env,
            TriggerRule triggerRule,
            String when,
            Object forEach,
            Integer maxInstances) {
        this(
                name,
                type,
                command,
                dependencies,
                maxRetries,
                timeout,
                retryDelay,
                maxRetryDelay,
                env,
                triggerRule,
                when,
                forEach,
                maxInstances,
                null,
                null,
                null);
    }

    /** The queue it is dispatched to. */
    public String queueName() {
        return Queues.of(queue);
    }

    public TaskSpec(
            String name,
            TaskType type,
            String command,
            List<String> dependencies,
            int maxRetries,
            Duration timeout,
            Duration retryDelay,
            Duration maxRetryDelay,
            Map<String, String> env) {
        this(
                name,
                type,
                command,
                dependencies,
                maxRetries,
                timeout,
                retryDelay,
                maxRetryDelay,
                env,
                null,
                null,
                null,
                null);
    }

    /** Whether the task is mapped over a list: one instance per item. */
    public boolean isMapped() {
        return forEach != null;
    }

    public int instanceLimit() {
        return maxInstances == null ? DEFAULT_MAX_INSTANCES : maxInstances;
    }

    /**
     * The spec of one instance of a mapped task: the same command, env, retries and timeout; its condition was checked
     * for the whole task, and it maps over nothing itself.
     */
    public TaskSpec instance(String instanceName) {
        return new TaskSpec(
                instanceName,
                type,
                command,
                List.of(),
                maxRetries,
                timeout,
                retryDelay,
                maxRetryDelay,
                env,
                null,
                null,
                null,
                null,
                queue,
                pool,
                poolSlots);
    }

    /** The trigger rule in effect. */
    public TriggerRule rule() {
        return triggerRule == null ? TriggerRule.ALL_SUCCESS : triggerRule;
    }

    /**
     * The same mapped task without its literal list, once every instance exists (each holds its own item): its entry,
     * rewritten at each instance's end, then stays small. A template stays (it is short).
     */
    public TaskSpec withoutLiteralItems() {
        if (!(forEach instanceof List<?> list) || list.isEmpty()) {
            return this;
        }
        return new TaskSpec(
                name,
                type,
                command,
                dependencies,
                maxRetries,
                timeout,
                retryDelay,
                maxRetryDelay,
                env,
                triggerRule,
                when,
                List.of(),
                maxInstances,
                queue,
                pool,
                poolSlots);
    }

    /** The same task without its dependency list (a task entry knows its dependents instead). */
    public TaskSpec withoutDependencies() {
        return new TaskSpec(
                name,
                type,
                command,
                List.of(),
                maxRetries,
                timeout,
                retryDelay,
                maxRetryDelay,
                env,
                triggerRule,
                when,
                forEach,
                maxInstances,
                queue,
                pool,
                poolSlots);
    }

    /** The delay before retry number {@code retry} (1-based), before jitter. */
    public Duration backoffBeforeRetry(int retry) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry is 1-based, got " + retry);
        }
        long base = retryDelay.toMillis();
        long cap = maxRetryDelay.toMillis();
        int shift = Math.min(retry - 1, 40);
        long delay = base == 0 ? 0 : (base > (cap >> shift) ? cap : base << shift);
        return Duration.ofMillis(Math.min(delay, cap));
    }
}
