package io.dagctl.coordinator.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TransactionAbortedException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;

/**
 * What the coordinator does when its stream thread dies. A transaction the cluster broke (a broker went away and
 * the transaction outlived its timeout, so the broker aborted it and the commit finds it in an invalid state; a
 * producer fenced; a timeout) loses nothing under exactly-once: a new thread takes the tasks back from the last commit.
 * So such a failure replaces the thread, a few times; anything else, or too many replacements in a row, stops the
 * client, and liveness asks for a restart of the instance.
 */
final class StreamFailurePolicy {

    private final int maxReplacements;
    private final Duration window;
    private final Deque<Long> replacedAt = new ArrayDeque<>();

    StreamFailurePolicy(int maxReplacements, Duration window) {
        this.maxReplacements = maxReplacements;
        this.window = window;
    }

    synchronized StreamThreadExceptionResponse decide(Throwable failure, long nowNanos) {
        if (!isTransient(failure)) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        while (!replacedAt.isEmpty() && nowNanos - replacedAt.peekFirst() > window.toNanos()) {
            replacedAt.removeFirst();
        }
        if (replacedAt.size() >= maxReplacements) {
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacedAt.addLast(nowNanos);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof InvalidTxnStateException
                    || t instanceof TransactionAbortedException
                    || t instanceof ProducerFencedException
                    || t instanceof InvalidProducerEpochException
                    || t instanceof RetriableException) {
                return true;
            }
        }
        return false;
    }
}
