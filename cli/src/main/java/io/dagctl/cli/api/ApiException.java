package io.dagctl.cli.api;

/** A call to the API that did not work, with the exit code and a one-line message that says what to do. */
public class ApiException extends Exception {

    private final int exitCode;

    public ApiException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
