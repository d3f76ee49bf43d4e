package io.dagctl.core.event;

/**
 * The topic names, from one prefix (default {@code dagctl}). {@code commands} and {@code results} are co-partitioned
 * (same partition count, key = run id) so one coordinator instance owns each run.
 */
public record Topics(String prefix) {

    public static final String DEFAULT_PREFIX = "dagctl";
    public static final int DEFAULT_RUN_PARTITIONS = 12;
    public static final int DEFAULT_DISPATCH_PARTITIONS = 48;

    public static Topics defaults() {
        return new Topics(DEFAULT_PREFIX);
    }

    public String commands() {
        return prefix + ".commands";
    }

    public String results() {
        return prefix + ".results";
    }

    public String dispatch() {
        return prefix + ".dispatch";
    }

    public String logs() {
        return prefix + ".logs";
    }

    public String events() {
        return prefix + ".events";
    }

    public String control() {
        return prefix + ".control";
    }

    public String dlq() {
        return prefix + ".dlq";
    }
}
