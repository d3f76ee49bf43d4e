package io.dagctl.worker.consume;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The attempts this worker started most recently (100,000 of them): a dispatch record of one of them that arrives
 * again (its partition came back after a rebalance, a commit was lost) is not run a second time. Used by the poll
 * thread.
 */
final class RecentAttempts {

    private static final int REMEMBERED = 100_000;

    private final Map<String, Boolean> seen = new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED;
        }
    };

    boolean contains(String attemptId) {
        return seen.containsKey(attemptId);
    }

    /** True when the attempt is new here (and is now remembered). */
    boolean add(String attemptId) {
        return seen.put(attemptId, Boolean.TRUE) == null;
    }
}
