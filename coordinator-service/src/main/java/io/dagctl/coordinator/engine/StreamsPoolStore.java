package io.dagctl.coordinator.engine;

import io.dagctl.core.event.Events;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The pools of a partition in the {@link StoreNames#POOLS} store. A waiting line is read from the first key that may
 * still be in it (kept in memory, lowered when a claim is added before it): the keys granted before it are
 * tombstones in RocksDB until compaction, and a scan from the line's start would step over all of them each time.
 */
final class StreamsPoolStore implements PoolStore {

    private final KeyValueStore<String, byte[]> store;
    private final Map<String, String> lineFrom = new HashMap<>();

    StreamsPoolStore(KeyValueStore<String, byte[]> store) {
        this.store = store;
    }

    @Override
    public PoolEntry pool(String name) {
        byte[] json = store.get(name);
        return json == null ? null : Events.fromJson(json, PoolEntry.class);
    }

    @Override
    public void put(PoolEntry pool) {
        byte[] json = Events.toJson(pool);
        WorkUnit.requireFits("the entry of pool " + pool.name(), json);
        store.put(pool.name(), json);
    }

    @Override
    public PoolClaim claim(String pool, String holder) {
        byte[] json = store.get(StoreNames.poolClaimKey(pool, holder));
        return json == null ? null : Events.fromJson(json, PoolClaim.class);
    }

    @Override
    public void put(String pool, PoolClaim claim) {
        store.put(StoreNames.poolClaimKey(pool, claim.holder()), Events.toJson(claim));
    }

    @Override
    public void deleteClaim(String pool, String holder) {
        store.delete(StoreNames.poolClaimKey(pool, holder));
    }

    @Override
    public void addWaiter(String pool, PoolClaim claim) {
        store.put(claim.waitKey(), claim.holder().getBytes(StandardCharsets.UTF_8));
        String from = lineFrom.get(pool);
        if (from != null && claim.waitKey().compareTo(from) < 0) {
            lineFrom.put(pool, claim.waitKey());
        }
    }

    @Override
    public void removeWaiter(String pool, String waitKey) {
        store.delete(waitKey);
    }

    @Override
    public List<Waiter> waiters(String pool, String after, int limit) {
        String from = after != null ? after + "\u0000" : lineFrom.getOrDefault(pool, StoreNames.poolWaitersFrom(pool));
        List<Waiter> line = new ArrayList<>();
        try (KeyValueIterator<String, byte[]> it = store.range(from, StoreNames.poolWaitersTo(pool))) {
            while (it.hasNext() && line.size() < limit) {
                var next = it.next();
                line.add(new Waiter(next.key, new String(next.value, StandardCharsets.UTF_8)));
            }
        }
        if (after == null) {
            // nothing before the first live key is left; an empty line is read from its start next time
            if (line.isEmpty()) {
                lineFrom.remove(pool);
            } else {
                lineFrom.put(pool, line.get(0).key());
            }
        }
        return line;
    }
}
