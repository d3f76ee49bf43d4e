package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamFailurePolicyTest {

    private static final long SECOND = 1_000_000_000L;

    /** What a broker kill produced on 2026-12-06: the broker aborted the transaction that outlived its timeout. */
    private static StreamsException brokenTransaction() {
        return new StreamsException(
                "Error encountered trying to commit a transaction",
                new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));
    }

    @Test
    void aTransactionTheClusterBrokeGetsANewThreadAFewTimesThenTheClientStops() {
        StreamFailurePolicy policy = new StreamFailurePolicy(2, Duration.ofMinutes(1));
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, policy.decide(brokenTransaction(), 0));
        assertEquals(StreamThreadExceptionResponse.REPLACE_THREAD, policy.decide(brokenTransaction(), SECOND));
        assertEquals(
                StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
                policy.decide(brokenTransaction(), 2 * SECOND),
                "the same failure again and again is not transient: stop, and let liveness restart the instance");
        assertEquals(
                StreamThreadExceptionResponse.REPLACE_THREAD,
                policy.decide(brokenTransaction(), 62 * SECOND),
                "outside the window it counts as new");
    }

    @Test
    void anyOtherFailureStopsTheClient() {
        StreamFailurePolicy policy = new StreamFailurePolicy(5, Duration.ofMinutes(1));
        assertEquals(
                StreamThreadExceptionResponse.SHUTDOWN_CLIENT,
                policy.decide(new StreamsException("state directory", new IllegalStateException("locked")), 0));
        assertEquals(StreamThreadExceptionResponse.SHUTDOWN_CLIENT, policy.decide(new OutOfMemoryError("heap"), 0));
    }
}
