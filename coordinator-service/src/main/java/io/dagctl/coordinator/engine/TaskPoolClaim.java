package io.dagctl.coordinator.engine;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.dagctl.core.model.Pools;
import io.dagctl.core.model.TaskSpec;

/**
 * A task's claim on its pool's slots, as its run's owner sees it: none, waiting for a grant, or granted (its attempt
 * may be queued and run). Claims are numbered per task, so that a grant or release of an earlier one is told apart.
 * Stored at the task entry's top level ({@code pool_claims}, {@code pool_claim}; left out when unset).
 */
@JsonAutoDetect(
        fieldVisibility = Visibility.ANY,
        getterVisibility = Visibility.NONE,
        isGetterVisibility = Visibility.NONE)
final class TaskPoolClaim {

    enum State {
        WAITING,
        GRANTED
    }

    @JsonInclude(JsonInclude.Include.NON_DEFAULT)
    private int poolClaims;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    private State poolClaim;

    /** Whether it waited for a grant as the store holds it; kept out of the JSON. */
    private transient boolean storedWaiting;

    /** What a task waiting for its pool waits for, in its report. */
    static String waitingFor(TaskSpec spec) {
        int slots = spec.poolSlotsTaken();
        return "a slot of pool '" + spec.pool() + "'" + (slots > 1 ? " (" + slots + " slots)" : "");
    }

    boolean isWaiting() {
        return poolClaim == State.WAITING;
    }

    boolean isGranted() {
        return poolClaim == State.GRANTED;
    }

    boolean isHeld() {
        return poolClaim != null;
    }

    /** A new claim, waiting: its holder. */
    String request(String runId, String task) {
        poolClaims++;
        poolClaim = State.WAITING;
        return holder(runId, task);
    }

    /** The current (or last) claim's holder. */
    String holder(String runId, String task) {
        return Pools.holder(runId, task, poolClaims);
    }

    void granted() {
        poolClaim = State.GRANTED;
    }

    /** The claim is given back (or dropped while it waited). */
    void released() {
        poolClaim = null;
    }

    boolean storedWaiting() {
        return storedWaiting;
    }

    void markStored() {
        storedWaiting = isWaiting();
    }
}
