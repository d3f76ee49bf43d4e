package io.dagctl.coordinator.engine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A stored DAG as its owner keeps it (store {@link StoreNames#DAGS}, keyed by name); its versions are entries of their
 * own ({@link DagVersionEntry}). A deleted DAG keeps its entry, marked, so that its version numbers go on if it comes
 * back and its runs can still show the versions they ran.
 *
 * @param digest the latest version's digest: applying the same DAG again changes nothing
 * @param outcomes what the owner made of the last requests ({@link #MAX_OUTCOMES}), by request id: how the API that
 *     wrote a command learns its result
 */
public record DagEntry(
        String name,
        int version,
        String digest,
        boolean paused,
        boolean deleted,
        Instant createdAt,
        Instant updatedAt,
        String lastRunId,
        Instant lastRunAt,
        Map<String, Outcome> outcomes) {

    /** Enough that a burst of triggers does not push out an outcome before the API that waits for it reads it. */
    static final int MAX_OUTCOMES = 128;
    /** How the refusal of a run too large for a record begins (the API answers it with 413). */
    public static final String TOO_LARGE = "the run would be ";

    /**
     * @param changed whether the request changed anything (a new version, a pause that was not one already, a run)
     * @param refused why the owner did not do it (the DAG was deleted meanwhile, ...), or null
     */
    public record Outcome(int version, boolean changed, String refused, String runId) {}

    public DagEntry {
        outcomes = outcomes == null ? Map.of() : outcomes;
    }

    DagEntry withOutcome(String requestId, Outcome outcome) {
        if (requestId == null) {
            return this;
        }
        Map<String, Outcome> kept = new LinkedHashMap<>(outcomes);
        kept.put(requestId, outcome);
        while (kept.size() > MAX_OUTCOMES) {
            kept.remove(kept.keySet().iterator().next());
        }
        return new DagEntry(name, version, digest, paused, deleted, createdAt, updatedAt, lastRunId, lastRunAt, kept);
    }
}
