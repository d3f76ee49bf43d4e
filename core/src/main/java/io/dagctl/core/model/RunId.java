package io.dagctl.core.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The form of a run id: 1 to 128 letters, digits, {@code .}, {@code _} or {@code -}, starting with a letter or digit.
 * It is a Kafka key, a store key prefix, a URL path segment and part of a file name, so nothing else is allowed.
 */
public final class RunId {

    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private static final DateTimeFormatter TICK =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private RunId() {}

    /**
     * The run id of a schedule tick of a stored DAG ({@code nightly_etl.20261201T020000Z}): the same for the same DAG
     * and tick, whoever starts it (the schedule, a backfill) and however often. A long name is cut and a hash of it
     * added, so that the id stays within 128 characters with room for a suffix.
     */
    public static String ofTick(String dagName, Instant tick) {
        String at = TICK.format(tick);
        if (dagName.length() <= 96) {
            return dagName + "." + at;
        }
        return dagName.substring(0, 80) + "." + shortHash(dagName) + "." + at;
    }

    private static String shortHash(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

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
