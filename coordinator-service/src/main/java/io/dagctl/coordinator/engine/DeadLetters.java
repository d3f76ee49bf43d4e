package io.dagctl.coordinator.engine;

import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.WireHeaders;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Dead letters that always fit the producer's limit whatever came in: the original stays in its topic for its
 * retention, the dead letter keeps what fits (a bounded key, the original headers unless they are large, the start of
 * the value) with the reason and the source topic in headers.
 */
final class DeadLetters {

    private static final System.Logger LOG = System.getLogger(DeadLetters.class.getName());
    private static final int MAX_KEY_CHARS = 1024;
    private static final int MAX_ORIGINAL_HEADER_BYTES = 16 * 1024;

    private DeadLetters() {}

    static Record<String, byte[]> letter(
            String key, byte[] value, Headers original, String source, String dlqTopic, String reason, long now) {
        String keptKey = key == null ? null : RecordLimits.keepStart(key, MAX_KEY_CHARS);
        LOG.log(
                Level.WARNING,
                "record with key {0} from {1} sent to {2}: {3}",
                keptKey == null ? null : RecordLimits.keepStart(keptKey, 200),
                source,
                dlqTopic,
                reason);
        RecordHeaders headers = new RecordHeaders();
        if (headerBytes(original) <= MAX_ORIGINAL_HEADER_BYTES) {
            original.forEach(headers::add);
        }
        String why = RecordLimits.keepStart(String.valueOf(reason), RecordLimits.MAX_ERROR_CHARS);
        headers.add(WireHeaders.DLQ_REASON, why.getBytes(StandardCharsets.UTF_8));
        headers.add(WireHeaders.DLQ_SOURCE_TOPIC, source.getBytes(StandardCharsets.UTF_8));
        int room = RecordLimits.MAX_RECORD_BYTES
                - (keptKey == null ? 0 : keptKey.getBytes(StandardCharsets.UTF_8).length)
                - headerBytes(headers)
                - 64;
        byte[] kept = value;
        if (value != null && value.length > room) {
            kept = Arrays.copyOf(value, room);
            headers.add(
                    WireHeaders.DLQ_ORIGINAL_BYTES, String.valueOf(value.length).getBytes(StandardCharsets.UTF_8));
        }
        return new Record<>(keptKey, kept, now, headers);
    }

    private static int headerBytes(Headers headers) {
        int bytes = 0;
        for (Header header : headers) {
            bytes += header.key().length() + (header.value() == null ? 0 : header.value().length) + 8;
        }
        return bytes;
    }
}
