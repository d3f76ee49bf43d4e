package io.dagctl.core.event;

/**
 * The documented size limits of what a DAG may hold, and the record sizes that follow from them. Submission refuses
 * anything over the first group; the topics, producers and stores are configured from the second, so a DAG that was
 * accepted can always be written, dispatched and stored.
 */
public final class RecordLimits {

    private static final int KIB = 1024;
    private static final int MIB = 1024 * KIB;

    /** A task's command (or the file named by {@code command_file}), UTF-8. */
    public static final int MAX_TASK_COMMAND_BYTES = 256 * KIB;

    /** A task's {@code env}: every name and value together, UTF-8. */
    public static final int MAX_ENV_BYTES = 64 * KIB;

    /** A run's parameters: every name and value together, UTF-8; each task also gets them in its environment. */
    public static final int MAX_PARAMS_BYTES = 64 * KIB;

    /**
     * One task's spec as the coordinator stores and dispatches it (JSON): the command, env and parameters above, with
     * room for JSON escaping of awkward characters.
     */
    public static final int MAX_TASK_SPEC_JSON_BYTES = 768 * KIB;

    /**
     * A whole submission (the {@code RunSubmitted} command: the DAG and its parameters as JSON). JSON spells out every
     * default, so it can be four or five times the YAML it came from: 200,000 small tasks take about 32 MiB.
     */
    public static final int MAX_SUBMISSION_BYTES = 64 * MIB;

    /** A whole DAG as JSON: a submission less room for its parameters and envelope. */
    public static final int MAX_DAG_JSON_BYTES = MAX_SUBMISSION_BYTES - MAX_PARAMS_BYTES - 64 * KIB;

    /**
     * A stored DAG as JSON: its version entry, the command that stores it and each run it starts (with its parameters)
     * must each fit one record of {@link #MAX_RECORD_BYTES}. A larger DAG is submitted with its run instead.
     */
    public static final int MAX_STORED_DAG_JSON_BYTES = 2 * MIB - MAX_PARAMS_BYTES - 64 * KIB;

    /** The end of stdout, and of stderr, the coordinator keeps per task (a worker may keep less). */
    public static final int MAX_STORED_TAIL_CHARS = 64 * KIB;

    /** What a task writes to {@code $DAGCTL_OUTPUT} by default at most (a worker's {@code max-output-bytes}). */
    public static final int DEFAULT_OUTPUTS_BYTES = 64 * KIB;

    /**
     * The most a worker may be configured to take from {@code $DAGCTL_OUTPUT}: its JSON must fit the task's entry and
     * finished event beside the spec and the tails.
     */
    public static final int MAX_OUTPUTS_BYTES = 512 * KIB;

    /** An error message the coordinator keeps for a task or a run. */
    public static final int MAX_ERROR_CHARS = 4 * KIB;

    /**
     * The largest single record the coordinator writes to its state stores, the dispatch, control and events topics:
     * a task spec, two tails and an error with their JSON, well inside it. Topics are created with it and the
     * producers are allowed it.
     */
    public static final int MAX_RECORD_BYTES = 2 * MIB;

    /** The largest command record (a submission, compressed on the wire); the commands topic is created with it. */
    public static final int MAX_COMMAND_RECORD_BYTES = MAX_SUBMISSION_BYTES + MIB;

    private RecordLimits() {}

    /** Human-readable size: {@code 256 KiB}, {@code 2 MiB}, {@code 900 bytes}. */
    public static String describe(long bytes) {
        if (bytes >= MIB && bytes % MIB == 0) {
            return bytes / MIB + " MiB";
        }
        if (bytes >= KIB && bytes % KIB == 0) {
            return bytes / KIB + " KiB";
        }
        return bytes + " bytes";
    }

    /** The last {@code maxChars} characters of {@code text} (a tail keeps its end), or the text itself. */
    public static String keepEnd(String text, int maxChars) {
        return text == null || text.length() <= maxChars ? text : text.substring(text.length() - maxChars);
    }

    /** The first {@code maxChars} characters of {@code text}, marked as cut, or the text itself. */
    public static String keepStart(String text, int maxChars) {
        return text == null || text.length() <= maxChars ? text : text.substring(0, maxChars) + " [cut]";
    }
}
