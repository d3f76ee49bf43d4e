package io.dagctl.coordinator.engine;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.MemberToRemove;
import org.apache.kafka.clients.admin.RemoveMembersFromConsumerGroupOptions;
import org.apache.kafka.common.errors.UnknownMemberIdException;

/**
 * The instance's static group membership, and the watch that notices at once that a peer coordinator's process has
 * ended and takes it out of the consumer group, so its partitions move without waiting for its group session.
 *
 * <p>The instance listens on a port of its own, which greets every connection with the instance's member id and then
 * says nothing more. Its static member id ({@code group.instance.id}, {@link #memberId}) names that port and a random
 * part, so the peers find the port where they find the members, and no two processes share an id. A peer holds a
 * connection to it; the operating system closes that connection when the process ends, however it ends (SIGKILL, a
 * crash, an OOM kill). The peer then tries the port once more, and removes the member from the group
 * ({@link Admin#removeMembersFromConsumerGroup}; the group rebalances at once) only when it had been greeted there by
 * that very member before and now is refused, or greeted by another: the process is gone. A port that never greeted it
 * (an address that does not reach the instance: a loopback address on another machine, a firewall) and a port that
 * does not answer at all (a dead machine, a split network) leave the decision to the group session, as before.
 */
final class PeerLiveness implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(PeerLiveness.class.getName());
    /** {@code dagctl_<host>_<port>_<random>-<stream thread>}: Kafka Streams appends the thread's number. */
    private static final Pattern MEMBER = Pattern.compile("(dagctl_(.+)_(\\d{1,5})_[0-9a-f]{12})-\\d+");

    private static final Pattern ENCODABLE_HOST = Pattern.compile("[A-Za-z0-9.-]{1,200}");
    private static final Duration LOOK_EVERY = Duration.ofMillis(500);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

    private final String applicationId;
    /** Whether this instance watches the others (the setting), even when it cannot be watched itself. */
    private final boolean watchesPeers;

    private final Map<String, Object> clientProperties;
    /** Null when this instance is not watched (turned off, or its host cannot be written into an id or bound). */
    private final LivenessPort port;

    private final String memberId;
    /** Peers watched, by their member id without the thread number. */
    private final Map<String, PeerWatch> watches = new ConcurrentHashMap<>();

    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile Runnable onRemoved = () -> {};
    private Admin admin;

    private PeerLiveness(
            String applicationId,
            Map<String, Object> clientProperties,
            LivenessPort port,
            String host,
            boolean watchesPeers) {
        this.applicationId = applicationId;
        this.watchesPeers = watchesPeers;
        this.clientProperties = Map.copyOf(clientProperties);
        this.port = port;
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        this.memberId = "dagctl_" + host + "_" + (port == null ? 0 : port.port()) + "_"
                + HexFormat.of().formatHex(random);
    }

    /**
     * The membership of an instance reached at {@code host} (from {@code application.server}); with {@code watched}, a
     * port on that host for its peers to watch, when the host can be written into an id and bound here.
     */
    static PeerLiveness of(String applicationId, Map<String, Object> clientProperties, String host, boolean watched) {
        if (!ENCODABLE_HOST.matcher(host).matches()) {
            if (watched) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "application server host {0} cannot be written into a group instance id; a dead coordinator"
                                + " is noticed by its group session only",
                        host);
            }
            return new PeerLiveness(applicationId, clientProperties, null, "unnamed", watched);
        }
        if (!watched) {
            return new PeerLiveness(applicationId, clientProperties, null, host, false);
        }
        try {
            return new PeerLiveness(applicationId, clientProperties, LivenessPort.bind(host), host, true);
        } catch (IOException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "cannot listen on {0} for peers to notice this instance's end ({1}); it is noticed by its group"
                            + " session only",
                    host,
                    e.getMessage());
            return new PeerLiveness(applicationId, clientProperties, null, host, true);
        }
    }

    /** The static group instance id this instance joins with (without Kafka Streams' thread number). */
    String memberId() {
        return memberId;
    }

    boolean isWatched() {
        return port != null;
    }

    /** Starts listening and watching the peers; runs {@code then} after each peer it removed from the group. */
    void start(Runnable then) {
        this.onRemoved = then;
        if (port != null) {
            daemon("peer-liveness-listener " + memberId, () -> port.serve(memberId))
                    .start();
        }
        if (watchesPeers) {
            daemon("peer-liveness-members " + memberId, this::memberLoop).start();
        }
    }

    /** Host and port a member's id names, or null for a member that is not watched this way. */
    static InetSocketAddress addressOf(String groupInstanceId) {
        Matcher m = groupInstanceId == null ? null : MEMBER.matcher(groupInstanceId);
        if (m == null || !m.matches()) {
            return null;
        }
        int port = Integer.parseInt(m.group(3));
        return port > 0 && port < 65536 ? InetSocketAddress.createUnresolved(m.group(2), port) : null;
    }

    /** A member's id without Kafka Streams' thread number: what its port greets with. */
    static String baseOf(String groupInstanceId) {
        Matcher m = MEMBER.matcher(groupInstanceId);
        return m.matches() ? m.group(1) : null;
    }

    /** Watches every other member of the group that names a port, and lets go of those no longer in it. */
    private void memberLoop() {
        while (!closed) {
            try {
                Set<String> present = new HashSet<>();
                for (MemberDescription member : describeGroup()) {
                    String id = member.groupInstanceId().orElse(null);
                    InetSocketAddress address = addressOf(id);
                    String base = address == null ? null : baseOf(id);
                    if (base == null || base.equals(memberId)) {
                        continue;
                    }
                    present.add(base);
                    if (!closed && !watches.containsKey(base)) {
                        watch(base, address);
                    }
                }
                watches.forEach((base, watch) -> {
                    if (!present.contains(base)) {
                        watches.remove(base);
                        watch.release();
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                LOG.log(System.Logger.Level.DEBUG, "peer liveness: cannot describe the group: {0}", e.getMessage());
            }
            PeerWatch.sleep(LOOK_EVERY);
        }
    }

    private void watch(String base, InetSocketAddress address) {
        PeerWatch watch = new PeerWatch(base, address, () -> closed);
        watches.put(base, watch);
        daemon("peer-liveness " + memberId + " watching " + base, () -> {
                    if (watch.awaitGone()) {
                        removeAll(base, "its liveness port no longer answers as it");
                    }
                    watches.remove(base, watch);
                })
                .start();
    }

    /**
     * Removes every member of the instance {@code base} names (after a stream thread was replaced, one joined as thread
     * 2 while thread 1's member may still be there).
     */
    private void removeAll(String base, String why) {
        List<MemberToRemove> members = new ArrayList<>();
        try {
            for (MemberDescription member : describeGroup()) {
                String id = member.groupInstanceId().orElse(null);
                if (id != null && base.equals(baseOf(id))) {
                    members.add(new MemberToRemove(id));
                }
            }
            if (members.isEmpty()) {
                LOG.log(System.Logger.Level.DEBUG, "coordinator instance {0} left the group itself", base);
                return;
            }
            admin().removeMembersFromConsumerGroup(applicationId, new RemoveMembersFromConsumerGroupOptions(members))
                    .all()
                    .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            if (e.getCause() instanceof UnknownMemberIdException) {
                LOG.log(System.Logger.Level.DEBUG, "coordinator instance {0} left the group itself", base);
            } else if (!closed) {
                // the call is not allowed (ACLs) or the cluster did not answer: the group session decides
                LOG.log(
                        System.Logger.Level.WARNING,
                        "coordinator instance {0} is gone ({1}); removing it from the group failed ({2}), its"
                                + " session ends it",
                        base,
                        why,
                        e.getMessage());
            }
            return;
        }
        LOG.log(
                System.Logger.Level.INFO,
                "coordinator instance {0} is gone ({1}): removed it from group {2}, its partitions move now",
                base,
                why,
                applicationId);
        onRemoved.run();
    }

    private Collection<MemberDescription> describeGroup() throws Exception {
        return admin().describeConsumerGroups(List.of(applicationId))
                .describedGroups()
                .get(applicationId)
                .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .members();
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        if (admin == null) {
            admin = Admin.create(clientProperties);
        }
        return admin;
    }

    private Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(
                () -> {
                    try {
                        body.run();
                    } finally {
                        threads.remove(Thread.currentThread());
                    }
                },
                name);
        thread.setDaemon(true);
        threads.add(thread);
        return thread;
    }

    /** Stops listening, which peers take as this process's end: call it after leaving the group. */
    @Override
    public void close() {
        closed = true;
        if (port != null) {
            port.close();
        }
        watches.values().forEach(PeerWatch::release);
        watches.clear();
        threads.forEach(Thread::interrupt);
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        for (Thread thread : threads) {
            try {
                thread.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        synchronized (this) {
            if (admin != null) {
                admin.close(Duration.ofSeconds(1));
                admin = null;
            }
        }
    }
}
