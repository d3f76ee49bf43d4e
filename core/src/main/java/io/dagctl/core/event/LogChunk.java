package io.dagctl.core.event;

import java.time.Instant;

/**
 * A piece of a running attempt's output, on the logs topic keyed by attempt id, in order ({@code seq} from 0).
 * The last chunk of an attempt has {@code end} set (its data may be empty).
 *
 * @param stream {@code stdout} or {@code stderr}
 */
public record LogChunk(int v, String attemptId, long seq, String stream, String data, Instant at, boolean end) {

    public static LogChunk of(String attemptId, long seq, String stream, String data, Instant at, boolean end) {
        return new LogChunk(Events.SCHEMA_VERSION, attemptId, seq, stream, data, at, end);
    }
}
