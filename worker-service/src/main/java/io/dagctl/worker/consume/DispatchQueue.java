package io.dagctl.worker.consume;

import io.dagctl.core.event.TaskDispatched;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import org.apache.kafka.common.TopicPartition;

/**
 * Dispatches taken from this worker's own partitions and waiting for a free slot, in partition order. Bounded by the
 * poll loop (it pauses fetching when full); dropped for partitions the worker loses, whose new owner gets them again
 * since their offsets were never committed. Used by the poll thread only.
 */
final class DispatchQueue {

    record Waiting(TopicPartition partition, long offset, TaskDispatched task, String traceparent) {}

    private final Deque<Waiting> waiting = new ArrayDeque<>();

    void add(Waiting dispatch) {
        waiting.add(dispatch);
    }

    Waiting next() {
        return waiting.poll();
    }

    int size() {
        return waiting.size();
    }

    boolean isEmpty() {
        return waiting.isEmpty();
    }

    void drop(Collection<TopicPartition> partitions) {
        waiting.removeIf(w -> partitions.contains(w.partition()));
    }

    void clear() {
        waiting.clear();
    }
}
