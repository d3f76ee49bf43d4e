package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.kafka.EmbeddedKafka;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListTransactionsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TransactionListing;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fencing of a dead instance's open transaction, against a real broker. */
class DeadInstanceFencerTest {

    private static final String APP = "fence-test-app";
    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.startSingleNode();
        kafka.createTopics(List.of(new NewTopic("input", 1, (short) 1), new NewTopic("output", 1, (short) 1)));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void theOpenTransactionOfAnInstanceGoneFromTheGroupIsAbortedAndNoOtherIs() throws Exception {
        String live = UUID.randomUUID().toString();
        String dead = UUID.randomUUID().toString();
        try (KafkaConsumer<String, String> member = groupMember(APP, APP + "-" + live + "-StreamThread-1-consumer");
                KafkaProducer<String, String> liveProducer = openTransaction(APP + "-" + live + "-1");
                KafkaProducer<String, String> deadProducer = openTransaction(APP + "-" + dead + "-1");
                KafkaProducer<String, String> otherApp = openTransaction("another-app-" + dead + "-1");
                DeadInstanceFencer fencer = new DeadInstanceFencer(clientProperties(), APP)) {
            fencer.start();
            fencer.membershipChanged();

            awaitOngoing(Set.of(APP + "-" + live + "-1", "another-app-" + dead + "-1"));
            assertThrows(KafkaException.class, deadProducer::commitTransaction, "the dead instance is fenced");
            liveProducer.commitTransaction();
            otherApp.commitTransaction();
        }
    }

    @Test
    void aMemberWhoseProcessCannotBeToldStopsAnyFencing() throws Exception {
        String dead = UUID.randomUUID().toString();
        String group = "custom-ids";
        try (KafkaConsumer<String, String> member = groupMember(group, "a-client-id-set-by-an-operator");
                KafkaProducer<String, String> deadProducer = openTransaction(group + "-" + dead + "-1")) {
            DeadInstanceFencer fencer = new DeadInstanceFencer(clientProperties(), group);
            fencer.start();
            fencer.membershipChanged();
            fencer.close(); // waits for the look to finish

            deadProducer.commitTransaction(); // not fenced: who is alive could not be told
        }
    }

    /**
     * The ids the fencer reads are Kafka Streams' own: a live exactly-once instance's member client id and open
     * transaction meet on its process id, so its transaction is left alone.
     */
    @Test
    void aLiveKafkaStreamsInstancesOpenTransactionIsLeftAlone() throws Exception {
        String app = "streams-fence-test";
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, app);
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        // the transaction that forwards the record stays open for the whole test
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 600_000);
        props.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 600_000);
        props.put(
                StreamsConfig.STATE_DIR_CONFIG,
                Files.createTempDirectory("fence-streams-").toString());
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        StreamsBuilder topology = new StreamsBuilder();
        topology.stream("input").to("output");
        try (KafkaStreams streams = new KafkaStreams(topology.build(), props);
                KafkaProducer<String, String> input = new KafkaProducer<>(
                        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()),
                        new StringSerializer(),
                        new StringSerializer())) {
            streams.start();
            input.send(new ProducerRecord<>("input", "k", "v")).get();
            String transaction = awaitOngoingOf(app);
            String member = streams.metadataForLocalThreads().iterator().next().consumerClientId();
            DeadInstanceFencer fencer = new DeadInstanceFencer(clientProperties(), app);
            assertNotNull(fencer.processIdOf(transaction), transaction);
            assertEquals(fencer.processIdOf(member), fencer.processIdOf(transaction), member + " / " + transaction);

            fencer.start();
            fencer.membershipChanged();
            fencer.close(); // waits for the look to finish

            assertTrue(ongoing().contains(transaction), "the live instance's transaction is still open");
        }
    }

    private static String awaitOngoingOf(String app) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            for (String id : ongoing()) {
                if (id.startsWith(app + "-")) {
                    return id;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no transaction of " + app + " opened");
    }

    @Test
    void processIdsAreReadOnlyFromThisApplicationsIds() {
        DeadInstanceFencer fencer = new DeadInstanceFencer(clientProperties(), APP);
        String process = "161da630-9f67-4e6b-a04c-dbe77bcfaec1";
        assertEquals(process, fencer.processIdOf(APP + "-" + process + "-1"));
        assertEquals(process, fencer.processIdOf(APP + "-" + process + "-StreamThread-3-consumer"));
        assertNull(fencer.processIdOf("other-" + process + "-1"));
        assertNull(fencer.processIdOf(APP + "-not-a-process-id-at-all-but-long-enough-1"));
        assertNull(fencer.processIdOf(APP + "-161da630x9f67x4e6bxa04cxdbe77bcfaec1-1"));
        assertNull(fencer.processIdOf(APP + "-" + process));
        assertNull(fencer.processIdOf(null));
        fencer.close();
    }

    private static Map<String, Object> clientProperties() {
        return Map.of("bootstrap.servers", kafka.bootstrapServers());
    }

    private static KafkaConsumer<String, String> groupMember(String group, String clientId) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of(
                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                        ConsumerConfig.GROUP_ID_CONFIG, group,
                        ConsumerConfig.CLIENT_ID_CONFIG, clientId),
                new StringDeserializer(),
                new StringDeserializer());
        consumer.subscribe(List.of("input"));
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (consumer.assignment().isEmpty() && System.nanoTime() < until) {
            consumer.poll(Duration.ofMillis(100));
        }
        return consumer;
    }

    private static KafkaProducer<String, String> openTransaction(String transactionalId) {
        KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of(
                        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                        kafka.bootstrapServers(),
                        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                        transactionalId),
                new StringSerializer(),
                new StringSerializer());
        producer.initTransactions();
        producer.beginTransaction();
        producer.send(new ProducerRecord<>("output", "k", "v"));
        producer.flush();
        return producer;
    }

    private static void awaitOngoing(Set<String> expected) throws Exception {
        Set<String> ongoing = Set.of();
        long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < until) {
            ongoing = ongoing();
            if (ongoing.equals(expected)) {
                return;
            }
            Thread.sleep(100);
        }
        assertEquals(new TreeSet<>(expected), ongoing, "transactions still open");
    }

    private static Set<String> ongoing() throws Exception {
        try (Admin admin = Admin.create(clientProperties())) {
            Set<String> ongoing = new TreeSet<>();
            for (TransactionListing listing : admin.listTransactions(
                            new ListTransactionsOptions().filterStates(List.of(TransactionState.ONGOING)))
                    .all()
                    .get()) {
                ongoing.add(listing.transactionalId());
            }
            return ongoing;
        }
    }
}
