package io.dagctl.core.model;

import java.util.regex.Pattern;

/**
 * The form of a run id: 1 to 128 letters, digits, {@code .}, {@code _} or {@code -}, starting with a letter or digit.
 * It is a Kafka key, a store key prefix, a URL path segment and part of a file name, so nothing else is allowed.
 */
public final class RunId {

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private RunId() {}

    public static boolean isValid(String runId) {
        return runId != null && FORM.matcher(runId).matches();
    }

    /** Returns the id, or throws with a message naming what is wrong. */
    public static String require(String runId) {
        if (!isValid(runId)) {
            throw new IllegalArgumentException(
                    "run id " + (runId == null ? "missing" : "'" + abbreviate(runId) + "' is not valid")
                            + ": 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
        return runId;
    }

    private static String abbreviate(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }
}
