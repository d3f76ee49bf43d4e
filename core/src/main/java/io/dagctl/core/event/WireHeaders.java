package io.dagctl.core.event;

/**
 * Names of the headers dagctl puts on Kafka records and on requests between its own services. One home, so that a
 * writer and its readers cannot drift apart.
 */
public final class WireHeaders {

    /** Kafka record header: the W3C trace context of a dispatched attempt's span (also in the event itself). */
    public static final String TRACEPARENT = "traceparent";

    /** Kafka record header on a dispatch to a named queue: the queue, whose topic the coordinator's sink picks. */
    public static final String QUEUE = "dagctl.queue";

    /** Kafka record header on a dead letter: why the record could not be handled. */
    public static final String DLQ_REASON = "dagctl.dlq.reason";

    /** Kafka record header on a dead letter: the topic the record came from. */
    public static final String DLQ_SOURCE_TOPIC = "dagctl.dlq.source-topic";

    /** Kafka record header on a dead letter whose value was cut to the record limit: the original size in bytes. */
    public static final String DLQ_ORIGINAL_BYTES = "dagctl.dlq.original-bytes";

    /** HTTP header on a request one coordinator instance forwards to another, so that it is never forwarded again. */
    public static final String FORWARDED = "X-Dagctl-Forwarded";

    /** HTTP response header of a log read: the attempt whose output the body is. */
    public static final String ATTEMPT = "X-Dagctl-Attempt";

    private WireHeaders() {}
}
