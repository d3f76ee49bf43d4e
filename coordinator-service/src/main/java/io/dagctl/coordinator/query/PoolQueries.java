package io.dagctl.coordinator.query;

import io.dagctl.coordinator.engine.PoolEntry;
import io.dagctl.coordinator.engine.StoreNames;
import io.dagctl.core.event.Events;
import io.dagctl.core.model.Pools;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** Interactive queries on the pools: answers from this instance's store when it owns the pool's key. */
public final class PoolQueries {

    private final KafkaStreams streams;
    private final HostInfo self;

    public PoolQueries(KafkaStreams streams, String applicationServer) {
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    /** Where pool {@code name} is owned, and its entry when here. */
    public Lookup lookup(String name) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return new Lookup.Unavailable("coordinator is " + streams.state());
        }
        KeyQueryMetadata owner = streams.queryMetadataForKey(StoreNames.POOLS, Pools.key(name), new StringSerializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return new Lookup.Unavailable("no instance owns the partition of pool " + name + " right now");
        }
        if (!owner.activeHost().equals(self)) {
            return new Lookup.Elsewhere(
                    owner.activeHost().host() + ":" + owner.activeHost().port());
        }
        try {
            byte[] json = streams.store(StoreQueryParameters.fromNameAndType(
                                    StoreNames.POOLS, QueryableStoreTypes.<String, byte[]>keyValueStore())
                            .withPartition(owner.partition()))
                    .get(name);
            return json == null ? new Lookup.NotFound() : new Lookup.Found(Events.fromJson(json, PoolEntry.class));
        } catch (InvalidStateStoreException e) {
            return new Lookup.Unavailable(
                    "the state of pool " + name + " is being restored or moved: " + e.getMessage());
        }
    }

    /** The pools whose partitions this instance owns. */
    public List<PoolEntry> local() {
        List<PoolEntry> pools = new ArrayList<>();
        ReadOnlyKeyValueStore<String, byte[]> store = streams.store(
                StoreQueryParameters.fromNameAndType(StoreNames.POOLS, QueryableStoreTypes.keyValueStore()));
        try (KeyValueIterator<String, byte[]> it = store.all()) {
            it.forEachRemaining(kv -> {
                if (kv.key.indexOf('/') < 0) { // claims and waiting lines are the pool's other keys
                    pools.add(Events.fromJson(kv.value, PoolEntry.class));
                }
            });
        }
        return pools;
    }

    /** The answer to "where is pool X and what is in it". */
    public sealed interface Lookup {

        record Found(PoolEntry pool) implements Lookup {}

        record NotFound() implements Lookup {}

        /** Another coordinator instance owns the pool's partition; ask it at {@code hostPort}. */
        record Elsewhere(String hostPort) implements Lookup {}

        /** No instance can answer now (starting, rebalancing, restoring state). */
        record Unavailable(String reason) implements Lookup {}
    }
}
