package io.dagctl.coordinator.telemetry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * A W3C trace context as kept in a run's state. Span ids below the run are derived from the trace id and a name
 * (the attempt id, the run's round), so any instance that owns the run later names the same spans without having
 * seen them started.
 */
public record TraceContext(String traceId, String spanId, boolean sampled) {

    private static final Pattern TRACEPARENT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
    private static final String INVALID_TRACE = "0".repeat(32);
    private static final String INVALID_SPAN = "0".repeat(16);

    /** A new trace whose root span is the first round of run {@code runId}. */
    public static TraceContext newRun(String runId, RandomGenerator random, boolean sampled) {
        String traceId;
        do {
            traceId = HexFormat.of().toHexDigits(random.nextLong())
                    + HexFormat.of().toHexDigits(random.nextLong());
        } while (traceId.equals(INVALID_TRACE));
        return new TraceContext(traceId, derivedSpanId(traceId, roundName(runId, 1)), sampled);
    }

    /** Parses a traceparent header value; null when absent or malformed. */
    public static TraceContext parse(String traceparent) {
        if (traceparent == null) {
            return null;
        }
        var m = TRACEPARENT.matcher(traceparent);
        if (!m.matches() || m.group(1).equals(INVALID_TRACE) || m.group(2).equals(INVALID_SPAN)) {
            return null;
        }
        return new TraceContext(m.group(1), m.group(2), (Integer.parseInt(m.group(3), 16) & 1) == 1);
    }

    public String toTraceparent() {
        return "00-" + traceId + "-" + spanId + "-" + (sampled ? "01" : "00");
    }

    /** The root span of round {@code round} of the run (1 is the trace's root; later rounds are its children). */
    public TraceContext round(String runId, int round) {
        return new TraceContext(traceId, derivedSpanId(traceId, roundName(runId, round)), sampled);
    }

    /** The span of one task attempt, named by its attempt id. */
    public TraceContext attempt(String attemptId) {
        return new TraceContext(traceId, derivedSpanId(traceId, "attempt " + attemptId), sampled);
    }

    private static String roundName(String runId, int round) {
        return "run " + runId + " round " + round;
    }

    static String derivedSpanId(String traceId, String name) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((traceId + '\n' + name).getBytes(StandardCharsets.UTF_8));
            String id = HexFormat.of().formatHex(digest, 0, 8);
            return id.equals(INVALID_SPAN) ? HexFormat.of().formatHex(digest, 8, 16) : id;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
