package io.dagctl.coordinator.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;

/** Run ids that sort by submission time and read well: {@code 20261126-193512-3f9a1c0b5e2d4a71}. */
final class RunIds {

    private static final DateTimeFormatter PREFIX =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {}

    /** The same key always names the same run, so a repeated submission finds the run instead of starting another. */
    static String fromIdempotencyKey(String key) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return "key-" + HexFormat.of().formatHex(hash, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /**
     * A new id: the second it was drawn in and 64 random bits, so that two submissions in one second collide with a
     * chance of one in 2^64 per pair; the API still checks that the run it reads back is its own.
     */
    static String next(Instant now) {
        byte[] suffix = new byte[8];
        RANDOM.nextBytes(suffix);
        return PREFIX.format(now) + "-" + HexFormat.of().formatHex(suffix);
    }
}
