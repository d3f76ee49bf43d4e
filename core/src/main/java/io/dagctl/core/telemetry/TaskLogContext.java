package io.dagctl.core.telemetry;

import io.dagctl.core.model.AttemptId;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.MDC;

/**
 * Puts the ids of the task an operation concerns into the logging context (MDC) of the current thread, so that every
 * log line written meanwhile carries them as fields: {@code run_id}, {@code task}, {@code attempt}, {@code worker_id},
 * {@code trace_id}. Closing it removes them again.
 */
public final class TaskLogContext implements AutoCloseable {

    public static final String RUN_ID = "run_id";
    public static final String TASK = "task";
    public static final String ATTEMPT = "attempt";
    public static final String WORKER_ID = "worker_id";
    public static final String TRACE_ID = "trace_id";

    private final List<String> keys = new ArrayList<>(5);

    private TaskLogContext() {}

    /**
     * @param workerId null when not known
     * @param traceparent the W3C traceparent of the run or attempt, or null; its trace id is logged
     */
    public static TaskLogContext of(AttemptId attempt, String workerId, String traceparent) {
        TaskLogContext context = new TaskLogContext();
        context.put(RUN_ID, attempt.runId());
        context.put(TASK, attempt.task());
        context.put(ATTEMPT, String.valueOf(attempt.attempt()));
        context.put(WORKER_ID, workerId);
        context.put(TRACE_ID, traceIdOf(traceparent));
        return context;
    }

    /** For a line about a run as a whole. */
    public static TaskLogContext ofRun(String runId, String traceparent) {
        TaskLogContext context = new TaskLogContext();
        context.put(RUN_ID, runId);
        context.put(TRACE_ID, traceIdOf(traceparent));
        return context;
    }

    /** The trace id of a W3C traceparent ({@code 00-<trace id>-<span id>-<flags>}), or null. */
    public static String traceIdOf(String traceparent) {
        return traceparent != null && traceparent.length() >= 35 && traceparent.charAt(2) == '-'
                ? traceparent.substring(3, 35)
                : null;
    }

    private void put(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
            keys.add(key);
        }
    }

    @Override
    public void close() {
        keys.forEach(MDC::remove);
    }
}
