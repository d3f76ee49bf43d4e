package io.dagctl.coordinator.query;

import io.dagctl.coordinator.engine.DagEntry;
import io.dagctl.coordinator.engine.DagVersionEntry;
import io.dagctl.coordinator.engine.StoreNames;
import io.dagctl.core.event.Events;
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

/** Interactive queries on the stored DAGs: answers from this instance's stores when it owns the DAG. */
public final class DagQueries {

    private final KafkaStreams streams;
    private final HostInfo self;

    public DagQueries(KafkaStreams streams, String applicationServer) {
        this.streams = streams;
        this.self = HostInfo.buildFromEndpoint(applicationServer);
    }

    /** @param version the version to read, or null for the latest */
    public DagLookup lookup(String name, Integer version) {
        if (streams.state() != KafkaStreams.State.RUNNING) {
            return new DagLookup.Unavailable("coordinator is " + streams.state());
        }
        KeyQueryMetadata owner = streams.queryMetadataForKey(StoreNames.DAGS, name, new StringSerializer());
        if (owner == null || owner.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
            return new DagLookup.Unavailable("no instance owns the partition of DAG " + name + " right now");
        }
        if (!owner.activeHost().equals(self)) {
            return new DagLookup.Elsewhere(
                    owner.activeHost().host() + ":" + owner.activeHost().port());
        }
        try {
            byte[] entryJson = store(StoreNames.DAGS, owner.partition()).get(name);
            if (entryJson == null) {
                return new DagLookup.NotFound();
            }
            DagEntry entry = Events.fromJson(entryJson, DagEntry.class);
            var versions = store(StoreNames.DAG_VERSIONS, owner.partition());
            DagVersionEntry latest = readVersion(versions, name, entry.version());
            DagVersionEntry asked =
                    version == null || version == entry.version() ? latest : readVersion(versions, name, version);
            return new DagLookup.Found(entry, asked, latest);
        } catch (InvalidStateStoreException e) {
            return new DagLookup.Unavailable(
                    "the state of DAG " + name + " is being restored or moved: " + e.getMessage());
        }
    }

    /** The DAGs whose partitions this instance owns, deleted ones included, each with its latest version. */
    public List<DagLookup.Found> local() {
        List<DagLookup.Found> dags = new ArrayList<>();
        var entries = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.DAGS, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        var versions = streams.store(StoreQueryParameters.fromNameAndType(
                StoreNames.DAG_VERSIONS, QueryableStoreTypes.<String, byte[]>keyValueStore()));
        try (KeyValueIterator<String, byte[]> it = entries.all()) {
            it.forEachRemaining(kv -> {
                DagEntry entry = Events.fromJson(kv.value, DagEntry.class);
                DagVersionEntry latest = readVersion(versions, entry.name(), entry.version());
                dags.add(new DagLookup.Found(entry, latest, latest));
            });
        }
        return dags;
    }

    private static DagVersionEntry readVersion(
            ReadOnlyKeyValueStore<String, byte[]> versions, String name, int version) {
        byte[] json = versions.get(StoreNames.dagVersionKey(name, version));
        return json == null ? null : Events.fromJson(json, DagVersionEntry.class);
    }

    private ReadOnlyKeyValueStore<String, byte[]> store(String name, int partition) {
        return streams.store(
                StoreQueryParameters.fromNameAndType(name, QueryableStoreTypes.<String, byte[]>keyValueStore())
                        .withPartition(partition));
    }
}
