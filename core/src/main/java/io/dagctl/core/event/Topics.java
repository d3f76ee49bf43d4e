package io.dagctl.core.event;

import io.dagctl.core.model.Queues;

/**
 * The topic names, from one prefix (default {@code dagctl}) and a fixed suffix each. {@code commands} and
 * {@code results} are co-partitioned (same partition count, key = run id) so one coordinator instance owns each run.
 */
public record Topics(String prefix) {

    public static final String DEFAULT_PREFIX = "dagctl";
    public static final int DEFAULT_RUN_PARTITIONS = 12;
    public static final int DEFAULT_DISPATCH_PARTITIONS = 48;

    public static final String COMMANDS = "commands";
    public static final String RESULTS = "results";
    public static final String DISPATCH = "dispatch";
    public static final String LOGS = "logs";
    public static final String EVENTS = "events";
    public static final String CONTROL = "control";
    public static final String DLQ = "dlq";
    public static final String DAGS = "dags";
    public static final String WORKERS = "workers";
    public static final String UI_SESSIONS = "ui-sessions";

    public static Topics defaults() {
        return new Topics(DEFAULT_PREFIX);
    }

    public String commands() {
        return named(COMMANDS);
    }

    public String results() {
        return named(RESULTS);
    }

    /** The default queue's dispatch topic. */
    public String dispatch() {
        return named(DISPATCH);
    }

    /**
     * A queue's dispatch topic: {@code <prefix>.dispatch.<queue>}, but the default queue's is {@code <prefix>.dispatch},
     * the topic every task went to before queues existed, so that an upgrade strands no dispatch.
     */
    public String dispatch(String queue) {
        return queue == null || Queues.DEFAULT.equals(queue) ? dispatch() : named(DISPATCH) + "." + queue;
    }

    public String logs() {
        return named(LOGS);
    }

    public String events() {
        return named(EVENTS);
    }

    public String control() {
        return named(CONTROL);
    }

    public String dlq() {
        return named(DLQ);
    }

    /** Commands about stored DAGs, keyed by DAG name. */
    public String dags() {
        return named(DAGS);
    }

    /** Each worker's latest status (slots, busy slots), keyed by worker id, compacted; a tombstone when it stops. */
    public String workers() {
        return named(WORKERS);
    }

    /** The secret that signs the web UI's sessions: one record, kept forever. */
    public String uiSessions() {
        return named(UI_SESSIONS);
    }

    private String named(String suffix) {
        return prefix + "." + suffix;
    }
}
