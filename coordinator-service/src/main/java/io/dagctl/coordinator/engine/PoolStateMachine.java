package io.dagctl.coordinator.engine;

import io.dagctl.core.event.DagCommand;
import io.dagctl.core.event.PoolSet;
import io.dagctl.core.event.PoolSlotGranted;
import io.dagctl.core.event.PoolSlotReleased;
import io.dagctl.core.event.PoolSlotRequested;
import io.dagctl.core.event.RunCommand;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The owner of the pools of one partition: sets their sizes, takes attempts' claims on their slots, grants waiting
 * claims (higher priority first, then in the order they came) while slots are free, and frees what a released claim
 * held. Every grant is a {@link PoolSlotGranted} written in the same transaction as the count that took it, so a pool
 * never gives out more than it has, also across a failover of its owner. Plain Java.
 */
final class PoolStateMachine {

    private static final System.Logger LOG = System.getLogger(PoolStateMachine.class.getName());
    /** Grants one command makes at most; the rest go with the next release (each grant ends in one). */
    static final int GRANTS_PER_COMMAND = 10_000;
    /** Waiting claims read at a time from the front of a line. */
    private static final int SCAN = 256;

    private final PoolStore store;

    PoolStateMachine(PoolStore store) {
        this.store = store;
    }

    List<RunCommand> apply(DagCommand command, Instant now) {
        List<RunCommand> out = new ArrayList<>();
        if (command instanceof PoolSet set) {
            PoolEntry pool = store.pool(set.pool());
            PoolEntry next =
                    (pool == null ? PoolEntry.unset(set.pool(), set.at()) : pool).withSlots(set.slots(), set.at());
            boolean changed = pool == null || pool.slots() == null || pool.slots() != set.slots();
            next = grant(next, now, out).withOutcome(set.requestId(), new DagEntry.Outcome(0, changed, null, null));
            store.put(next);
            LOG.log(Level.INFO, "pool {0} has {1} slot(s) ({2} in use)", set.pool(), set.slots(), next.inUse());
        } else if (command instanceof PoolSlotRequested request) {
            requested(request, now, out);
        } else if (command instanceof PoolSlotReleased release) {
            released(release, now, out);
        }
        return out;
    }

    private void requested(PoolSlotRequested request, Instant now, List<RunCommand> out) {
        PoolClaim known = store.claim(request.pool(), request.holder());
        if (known != null) {
            if (known.isGranted()) { // a request written again: its grant goes again, nothing is taken twice
                out.add(PoolSlotGranted.of(known.runId(), known.task(), known.holder(), request.pool(), now));
            }
            return;
        }
        PoolEntry pool = store.pool(request.pool());
        if (pool == null) {
            pool = PoolEntry.unset(request.pool(), now);
        }
        String waitKey = StoreNames.poolWaiterKey(request.pool(), request.priority(), pool.nextSeq());
        PoolClaim claim = new PoolClaim(
                request.holder(),
                request.runId(),
                request.task(),
                request.slots(),
                request.priority(),
                request.requestedAt(),
                waitKey,
                null);
        store.put(request.pool(), claim);
        store.addWaiter(request.pool(), claim);
        store.put(grant(pool.withWaiter(), now, out));
    }

    private void released(PoolSlotReleased release, Instant now, List<RunCommand> out) {
        PoolClaim claim = store.claim(release.pool(), release.holder());
        PoolEntry pool = store.pool(release.pool());
        if (claim == null || pool == null) {
            return; // released before (a grant that crossed a release), or never asked for
        }
        store.deleteClaim(release.pool(), release.holder());
        if (claim.isGranted()) {
            pool = pool.withFreed(claim.slots());
        } else {
            store.removeWaiter(release.pool(), claim.waitKey());
            pool = pool.withoutWaiter();
        }
        store.put(grant(pool, now, out));
    }

    /**
     * Grants the front of the waiting line while it fits. A claim for more slots than the pool has at all is passed
     * over (it waits for a resize); any other that does not fit yet stops the line, so that a large claim is not
     * starved by small ones behind it.
     */
    private PoolEntry grant(PoolEntry pool, Instant now, List<RunCommand> out) {
        if (pool.slots() == null || pool.waiting() == 0 || pool.free() == 0) {
            return pool; // every claim takes a slot at least: nothing can be granted, nothing needs reading
        }
        int granted = 0;
        String after = null;
        while (granted < GRANTS_PER_COMMAND) {
            List<PoolStore.Waiter> line = store.waiters(pool.name(), after, SCAN);
            if (line.isEmpty()) {
                return pool;
            }
            for (PoolStore.Waiter waiter : line) {
                after = waiter.key();
                PoolClaim claim = store.claim(pool.name(), waiter.holder());
                if (claim == null) {
                    store.removeWaiter(pool.name(), waiter.key()); // never expected: a line key goes with its claim
                    continue;
                }
                if (claim.slots() > pool.slots()) {
                    continue; // larger than the whole pool: it waits for a resize, without holding up the line
                }
                if (claim.slots() > pool.free()) {
                    return pool;
                }
                store.removeWaiter(pool.name(), claim.waitKey());
                store.put(pool.name(), claim.granted(now));
                pool = pool.withGranted(claim.slots());
                out.add(PoolSlotGranted.of(claim.runId(), claim.task(), claim.holder(), pool.name(), now));
                granted++;
                if (pool.free() == 0 || granted >= GRANTS_PER_COMMAND) {
                    return pool;
                }
            }
        }
        return pool;
    }
}
