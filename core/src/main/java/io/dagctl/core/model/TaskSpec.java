package io.dagctl.core.model;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One task of a DAG as the user declared it, with defaults applied.
 *
 * @param maxRetries how many times a failed attempt is retried (0 = run once)
 * @param retryDelay the wait before the first retry; the n-th retry waits {@code retryDelay * 2^(n-1)}
 * @param maxRetryDelay the cap on that wait
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
        Map<String, String> env) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(1);
    public static final Duration DEFAULT_MAX_RETRY_DELAY = Duration.ofMinutes(5);

    public TaskSpec {
        dependencies = List.copyOf(dependencies);
        env = Map.copyOf(env);
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
