package io.dagctl.coordinator.engine;

import java.util.List;

/** What a pool's owner keeps: the pools, their claims, their waiting lines (in grant order). */
interface PoolStore {

    PoolEntry pool(String name);

    void put(PoolEntry pool);

    PoolClaim claim(String pool, String holder);

    void put(String pool, PoolClaim claim);

    void deleteClaim(String pool, String holder);

    /** Adds the claim's holder to the pool's waiting line under its {@link PoolClaim#waitKey}. */
    void addWaiter(String pool, PoolClaim claim);

    void removeWaiter(String pool, String waitKey);

    /**
     * Up to {@code limit} claims of the pool's waiting line in grant order: from its front ({@code after} null), or
     * after the line key {@code after}.
     */
    List<Waiter> waiters(String pool, String after, int limit);

    /** A claim in a waiting line: its line key and its holder. */
    record Waiter(String key, String holder) {}
}
