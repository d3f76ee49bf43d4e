package io.dagctl.coordinator.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import jdk.net.ExtendedSocketOptions;
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
    /** How soon a port that never greeted is tried again. */
    private static final Duration UNCONFIRMED_RETRY = Duration.ofSeconds(5);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration GREETING_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
    /** Connections held for peers; more are refused by closing the oldest (the port needs no more than the peers). */
    private static final int HELD_CONNECTIONS = 256;

    private final String applicationId;
    /** Whether this instance watches the others (the setting), even when it cannot be watched itself. */
    private final boolean watchesPeers;

    private final Map<String, Object> clientProperties;
    /** Null when this instance is not watched (turned off, or its host cannot be written into an id or bound). */
    private final ServerSocket listener;

    private final String memberId;
    private final byte[] greeting;
    private final Deque<Socket> held = new ArrayDeque<>();
    /** Peers watched, by their member id without the thread number. */
    private final Map<String, Watch> watches = new ConcurrentHashMap<>();

    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;
    private volatile Runnable onRemoved = () -> {};
    private Admin admin;

    private PeerLiveness(
            String applicationId,
            Map<String, Object> clientProperties,
            ServerSocket listener,
            String host,
            boolean watchesPeers) {
        this.applicationId = applicationId;
        this.watchesPeers = watchesPeers;
        this.clientProperties = Map.copyOf(clientProperties);
        this.listener = listener;
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        this.memberId = "dagctl_" + host + "_" + (listener == null ? 0 : listener.getLocalPort()) + "_"
                + HexFormat.of().formatHex(random);
        this.greeting = (memberId + "\n").getBytes(StandardCharsets.US_ASCII);
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
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(bindAddress(host), 0));
            return new PeerLiveness(applicationId, clientProperties, listener, host, true);
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

    /**
     * The address of {@code host} on this machine; every address when the name does not resolve yet (a pod's DNS name
     * is published a moment after the pod starts), so that the peers, which resolve it later, still reach the port.
     */
    private static InetAddress bindAddress(String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "{0} does not resolve yet: the liveness port listens on every address of this machine",
                    host);
            return null; // the wildcard address
        }
    }

    /** The static group instance id this instance joins with (without Kafka Streams' thread number). */
    String memberId() {
        return memberId;
    }

    boolean isWatched() {
        return listener != null;
    }

    /** Starts listening and watching the peers; runs {@code then} after each peer it removed from the group. */
    void start(Runnable then) {
        this.onRemoved = then;
        if (listener != null) {
            daemon("peer-liveness-listener " + memberId, this::acceptLoop).start();
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

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket peer = listener.accept();
                try {
                    OutputStream out = peer.getOutputStream();
                    out.write(greeting);
                    out.flush();
                } catch (IOException e) {
                    closeQuietly(peer);
                    continue;
                }
                synchronized (held) {
                    if (closed) {
                        closeQuietly(peer);
                        return;
                    }
                    held.addLast(peer);
                    if (held.size() > HELD_CONNECTIONS) {
                        held.removeIf(PeerLiveness::closedByPeer);
                    }
                    while (held.size() > HELD_CONNECTIONS) {
                        closeQuietly(held.removeFirst());
                    }
                }
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.DEBUG, "peer liveness listener: {0}", e.getMessage());
                    sleep(Duration.ofMillis(100)); // out of file descriptors, say: do not spin
                }
            }
        }
    }

    /** Watches every other member of the group that names a port, and lets go of those no longer in it. */
    private void memberLoop() {
        while (!closed) {
            try {
                Collection<MemberDescription> members = describeGroup();
                Set<String> present = new HashSet<>();
                for (MemberDescription member : members) {
                    String id = member.groupInstanceId().orElse(null);
                    InetSocketAddress address = addressOf(id);
                    String base = address == null ? null : baseOf(id);
                    if (base == null || base.equals(memberId)) {
                        continue;
                    }
                    present.add(base);
                    if (!closed && !watches.containsKey(base)) {
                        Watch watch = new Watch(base, address);
                        watches.put(base, watch);
                        daemon("peer-liveness " + memberId + " watching " + base, watch::run)
                                .start();
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
            sleep(LOOK_EVERY);
        }
    }

    /** The watch of one peer, on a thread of its own, until the peer is removed, leaves the group, or this closes. */
    private final class Watch {

        private final String base;
        private final InetSocketAddress unresolved;
        private volatile boolean released;
        private volatile Socket socket;
        /** This peer's port greeted this watch with the peer's own id at least once, at {@link #confirmedAt}. */
        private boolean confirmed;

        private InetAddress confirmedAt;

        Watch(String base, InetSocketAddress unresolved) {
            this.base = base;
            this.unresolved = unresolved;
        }

        void run() {
            while (!closed && !released) {
                long began = System.nanoTime();
                Outcome outcome = connectAndHold();
                if (closed || released) {
                    return;
                }
                switch (outcome) {
                    case GONE -> {
                        if (confirmed) {
                            removeAll(base, "its liveness port no longer answers as it");
                            watches.remove(base, this);
                            return;
                        }
                        sleep(UNCONFIRMED_RETRY); // an address that never reached it: the session decides
                    }
                    case ENDED -> {
                        // the held connection closed: try at once, unless it was held only a moment
                        if (System.nanoTime() - began < Duration.ofSeconds(1).toNanos()) {
                            sleep(LOOK_EVERY);
                        }
                    }
                    case SILENT -> sleep(confirmed ? LOOK_EVERY : UNCONFIRMED_RETRY); // the session decides
                }
            }
        }

        private Outcome connectAndHold() {
            Socket s = new Socket();
            socket = s;
            InetSocketAddress target = null;
            try (s) {
                if (closed || released) {
                    return Outcome.ENDED;
                }
                // resolved on each try: a peer's DNS name may be published after it joined
                target = new InetSocketAddress(unresolved.getHostString(), unresolved.getPort());
                if (target.isUnresolved()) {
                    return Outcome.SILENT;
                }
                s.connect(target, (int) CONNECT_TIMEOUT.toMillis());
                s.setSoTimeout((int) GREETING_TIMEOUT.toMillis());
                InputStream in = s.getInputStream();
                String greeted = readLine(in);
                if (greeted == null) {
                    // closed before a whole greeting (a proxy in between, the peer's write failed): nothing told
                    return confirmed ? Outcome.ENDED : Outcome.SILENT;
                }
                if (!base.equals(greeted)) {
                    return sameAddress(target) ? Outcome.GONE : Outcome.SILENT;
                }
                confirmed = true;
                confirmedAt = target.getAddress();
                s.setSoTimeout(0);
                keepAlive(s);
                while (in.read() >= 0) {
                    // nothing more is ever sent
                }
                return Outcome.ENDED;
            } catch (ConnectException refused) {
                return sameAddress(target) ? Outcome.GONE : Outcome.SILENT;
            } catch (SocketTimeoutException | UnknownHostException silent) {
                return Outcome.SILENT;
            } catch (IOException ended) {
                return confirmed ? Outcome.ENDED : Outcome.SILENT;
            } finally {
                socket = null;
            }
        }

        /**
         * Whether a refusal or a foreign greeting came from the address that greeted as the peer: the same name may
         * resolve elsewhere now (several records, a changed entry), where it tells nothing of the peer.
         */
        private boolean sameAddress(InetSocketAddress tried) {
            return confirmedAt != null && tried != null && confirmedAt.equals(tried.getAddress());
        }

        void release() {
            released = true;
            Socket s = socket;
            if (s != null) {
                closeQuietly(s);
            }
        }
    }

    /** What one try at a peer's port found. */
    private enum Outcome {
        /** Refused, or greeted by another id (or by none): no process of that id listens there. */
        GONE,
        /** Greeted by the peer, and the connection held until it closed. */
        ENDED,
        /** No answer (or one that did not make sense): nothing can be told. */
        SILENT
    }

    /** The greeting: up to a newline, at most an id's length; null when the connection ends first. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (line.length() < 300) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (c == '\n') {
                return line.toString();
            }
            line.append((char) c);
        }
        return null;
    }

    /** A peer whose machine died closes nothing: probes notice the dead connection within about 25 s. */
    private static void keepAlive(Socket socket) {
        try {
            socket.setKeepAlive(true);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 10);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 5);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
        } catch (IOException | UnsupportedOperationException e) {
            // the system's keep-alive defaults then
        }
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

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A held connection its peer has closed (its watch let go, or reconnected): one read that does not wait. */
    private static boolean closedByPeer(Socket socket) {
        try {
            socket.setSoTimeout(1);
            if (socket.getInputStream().read() < 0) {
                closeQuietly(socket);
                return true;
            }
            return false;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException e) {
            closeQuietly(socket);
            return true;
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** Stops listening, which peers take as this process's end: call it after leaving the group. */
    @Override
    public void close() {
        closed = true;
        if (listener != null) {
            try {
                listener.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        synchronized (held) {
            held.forEach(PeerLiveness::closeQuietly);
            held.clear();
        }
        watches.values().forEach(Watch::release);
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
