package io.dagctl.coordinator.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.dagctl.kafka.EmbeddedKafka;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A peer's process end noticed through its liveness port, against a real broker and real sockets. */
class PeerLivenessTest {

    /** Far longer than the test may take: only the liveness port can end a member this soon. */
    private static final int SESSION_MS = 45_000;

    private static EmbeddedKafka kafka;

    @BeforeAll
    static void startBroker() {
        kafka = EmbeddedKafka.builder()
                .brokerProperty("group.max.session.timeout.ms", String.valueOf(SESSION_MS))
                .build()
                .start();
        kafka.createTopics(List.of(new NewTopic("liveness-input", 2, (short) 1)));
    }

    @AfterAll
    static void stopBroker() {
        kafka.close();
    }

    @Test
    void aPeerWhoseProcessEndsLeavesTheGroupAtOnceAndALivePeerStays() throws Exception {
        String group = "liveness-ends";
        PeerLiveness watcher = PeerLiveness.of(group, clientProperties(), "127.0.0.1", true);
        PeerLiveness peer = PeerLiveness.of(group, clientProperties(), "127.0.0.1", true);
        assertTrue(watcher.isWatched() && peer.isWatched());
        String watcherMember = watcher.memberId() + "-1";
        String peerMember = peer.memberId() + "-1";
        // a stream thread replaced after a failure joins as thread 2 while thread 1's member may still be there
        String peerReplacedThread = peer.memberId() + "-2";
        try (PollingMember a = new PollingMember(group, watcherMember);
                PollingMember b = new PollingMember(group, peerMember);
                PollingMember b2 = new PollingMember(group, peerReplacedThread);
                Admin admin = Admin.create(clientProperties())) {
            awaitMembers(admin, group, Set.of(watcherMember, peerMember, peerReplacedThread));
            peer.start(() -> {});
            CountDownLatch removed = new CountDownLatch(1);
            watcher.start(removed::countDown);
            Thread.sleep(2_000);
            assertEquals(
                    Set.of(watcherMember, peerMember, peerReplacedThread),
                    members(admin, group),
                    "a live peer is left in the group");

            long ended = System.nanoTime();
            b.stopPolling(); // its heartbeats go on: only the watch can take it out before the test ends
            b2.stopPolling();
            peer.close(); // what the operating system does to the port when the process ends
            awaitMembers(admin, group, Set.of(watcherMember));
            long tookMs = (System.nanoTime() - ended) / 1_000_000;
            assertTrue(tookMs < 10_000, "removed after " + tookMs + " ms");
            assertTrue(removed.await(5, TimeUnit.SECONDS), "what follows a removal ran");
        } finally {
            watcher.close();
            peer.close();
        }
        assertFalse(
                Thread.getAllStackTraces().keySet().stream()
                        .anyMatch(t -> t.isAlive()
                                && t.getName().startsWith("peer-liveness")
                                && (t.getName().contains(watcher.memberId())
                                        || t.getName().contains(peer.memberId()))),
                "no thread of theirs is left after close");
    }

    /**
     * An address that never reached the member (here a port nobody listens on, and one that greets with another id: a
     * loopback address of another machine, a firewall that rejects) does not make it look dead.
     */
    @Test
    void aMemberWhosePortNeverGreetedItIsLeftToItsSession() throws Exception {
        String group = "liveness-unreached";
        PeerLiveness watcher = PeerLiveness.of(group, clientProperties(), "127.0.0.1", true);
        int nobody;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobody = closed.getLocalPort();
        }
        String refused = "dagctl_127.0.0.1_" + nobody + "_0123456789ab-1";
        try (ServerSocket impostor = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                Greeter greeter = new Greeter(impostor, "dagctl_127.0.0.1_1_ffffffffffff");
                PollingMember a = new PollingMember(group, watcher.memberId() + "-1");
                PollingMember b = new PollingMember(group, refused);
                PollingMember c =
                        new PollingMember(group, "dagctl_127.0.0.1_" + impostor.getLocalPort() + "_0123456789ab-1");
                Admin admin = Admin.create(clientProperties())) {
            Set<String> all = Set.of(
                    watcher.memberId() + "-1",
                    refused,
                    "dagctl_127.0.0.1_" + impostor.getLocalPort() + "_0123456789ab-1");
            awaitMembers(admin, group, all);
            watcher.start(() -> {});
            Thread.sleep(3_000);
            assertEquals(all, members(admin, group));
            assertTrue(greeter.accepted() > 0, "the watch tried the impostor's port");
        } finally {
            watcher.close();
        }
    }

    @Test
    void idsNameHostPortAndARandomPartAndOnlyTheyAreRead() {
        PeerLiveness one = PeerLiveness.of("g", clientProperties(), "127.0.0.1", false);
        PeerLiveness two = PeerLiveness.of("g", clientProperties(), "127.0.0.1", false);
        assertNotEquals(one.memberId(), two.memberId(), "no two processes share an id");
        assertNull(PeerLiveness.addressOf(one.memberId() + "-1"), "an instance that is not watched names no port");
        assertFalse(one.isWatched());
        assertEquals(
                InetSocketAddress.createUnresolved("127.0.0.1", 41234),
                PeerLiveness.addressOf("dagctl_127.0.0.1_41234_0123456789ab-1"));
        assertEquals(
                InetSocketAddress.createUnresolved("coordinator-0.dagctl-headless.jobs.svc", 7),
                PeerLiveness.addressOf("dagctl_coordinator-0.dagctl-headless.jobs.svc_7_0123456789ab-12"));
        assertEquals("dagctl_127.0.0.1_7_0123456789ab", PeerLiveness.baseOf("dagctl_127.0.0.1_7_0123456789ab-2"));
        assertNull(PeerLiveness.addressOf("dagctl_127.0.0.1_41234_0123456789ab"), "no stream thread number");
        assertNull(PeerLiveness.addressOf("dagctl_127.0.0.1_99999_0123456789ab-1"), "no such port");
        assertNull(PeerLiveness.addressOf("an-operator-id-1"));
        assertNull(PeerLiveness.addressOf(null));
        PeerLiveness ipv6 = PeerLiveness.of("g", clientProperties(), "::1", true);
        assertFalse(ipv6.isWatched(), "an IPv6 literal cannot be written into an id");
        assertTrue(ipv6.memberId().startsWith("dagctl_unnamed_0_"), ipv6.memberId());
    }

    private static Map<String, Object> clientProperties() {
        return Map.of("bootstrap.servers", kafka.bootstrapServers());
    }

    private static Set<String> members(Admin admin, String group) throws Exception {
        Set<String> ids = new TreeSet<>();
        for (MemberDescription member : admin.describeConsumerGroups(List.of(group))
                .describedGroups()
                .get(group)
                .get()
                .members()) {
            ids.add(member.groupInstanceId().orElse(member.consumerId()));
        }
        return ids;
    }

    private static void awaitMembers(Admin admin, String group, Set<String> expected) throws Exception {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Set<String> seen = Set.of();
        while (System.nanoTime() < until) {
            seen = members(admin, group);
            if (seen.equals(expected)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("members " + seen + ", expected " + expected);
    }

    /** Greets every connection with an id of its own, as a liveness port of another instance would. */
    private static final class Greeter implements AutoCloseable {

        private final ServerSocket server;
        private final Thread thread;
        private volatile int accepted;

        Greeter(ServerSocket server, String id) {
            this.server = server;
            this.thread = new Thread(
                    () -> {
                        while (!server.isClosed()) {
                            try (Socket s = server.accept()) {
                                accepted++;
                                OutputStream out = s.getOutputStream();
                                out.write((id + "\n").getBytes(StandardCharsets.US_ASCII));
                                out.flush();
                            } catch (IOException e) {
                                // closed
                            }
                        }
                    },
                    "greeter");
            thread.start();
        }

        int accepted() {
            return accepted;
        }

        @Override
        public void close() throws Exception {
            server.close();
            thread.join(5_000);
        }
    }

    /** A static member of the group that keeps polling (a rebalance waits for every member to poll). */
    private static final class PollingMember implements AutoCloseable {

        private final AtomicBoolean polling = new AtomicBoolean(true);
        private final AtomicBoolean open = new AtomicBoolean(true);
        private final Thread thread;

        PollingMember(String group, String instanceId) {
            thread = new Thread(
                    () -> {
                        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                                Map.of(
                                        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                                        ConsumerConfig.GROUP_ID_CONFIG, group,
                                        ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId,
                                        ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_MS,
                                        ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000),
                                new StringDeserializer(),
                                new StringDeserializer())) {
                            consumer.subscribe(List.of("liveness-input"));
                            while (open.get()) {
                                if (polling.get()) {
                                    consumer.poll(Duration.ofMillis(100));
                                } else {
                                    // stopped: the consumer's heartbeat thread keeps it in the group
                                    Thread.sleep(100);
                                }
                            }
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "member " + instanceId);
            thread.start();
        }

        void stopPolling() {
            polling.set(false);
        }

        @Override
        public void close() throws InterruptedException {
            open.set(false);
            thread.join(30_000);
        }
    }
}
