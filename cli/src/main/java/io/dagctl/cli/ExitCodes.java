package io.dagctl.cli;

/** What {@code dagctl} exits with. */
public final class ExitCodes {
    public static final int SUCCESS = 0;
    /** The run finished and at least one task did not succeed. */
    public static final int RUN_FAILED = 1;
    /** Bad usage or an invalid DAG: nothing ran. */
    public static final int INVALID_INPUT = 2;
    /** The cluster could not be started or reached. */
    public static final int UNAVAILABLE = 3;

    private ExitCodes() {}
}
