package io.dagctl.coordinator.engine;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The port an instance's peers watch (see {@link PeerLiveness}): it greets each connection with the instance's member id
 * and then says nothing; the operating system closes the connections when the process ends.
 */
final class LivenessPort implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(LivenessPort.class.getName());
    /** Connections held for peers; more are refused by closing the oldest (the port needs no more than the peers). */
    private static final int HELD_CONNECTIONS = 256;

    private final ServerSocket listener;
    private final Deque<Socket> held = new ArrayDeque<>();
    private volatile byte[] greeting = new byte[0];
    private volatile boolean closed;

    private LivenessPort(ServerSocket listener) {
        this.listener = listener;
    }

    /** A port on {@code host}: bound to its address here, or to every address while the name does not resolve yet. */
    static LivenessPort bind(String host) throws IOException {
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress(bindAddress(host), 0));
        return new LivenessPort(listener);
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

    int port() {
        return listener.getLocalPort();
    }

    /** Accepts connections until closed, greeting each with {@code memberId}; on the calling thread. */
    void serve(String memberId) {
        greeting = (memberId + "\n").getBytes(StandardCharsets.US_ASCII);
        while (!closed) {
            try {
                Socket peer = listener.accept();
                try {
                    OutputStream out = peer.getOutputStream();
                    out.write(greeting);
                    out.flush();
                } catch (IOException e) {
                    PeerWatch.closeQuietly(peer);
                    continue;
                }
                hold(peer);
            } catch (IOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.DEBUG, "peer liveness listener: {0}", e.getMessage());
                    PeerWatch.sleep(Duration.ofMillis(100)); // out of file descriptors, say: do not spin
                }
            }
        }
    }

    private void hold(Socket peer) {
        synchronized (held) {
            if (closed) {
                PeerWatch.closeQuietly(peer);
                return;
            }
            held.addLast(peer);
            if (held.size() > HELD_CONNECTIONS) {
                held.removeIf(LivenessPort::closedByPeer);
            }
            while (held.size() > HELD_CONNECTIONS) {
                PeerWatch.closeQuietly(held.removeFirst());
            }
        }
    }

    /** A held connection its peer has closed (its watch let go, or reconnected): one read that does not wait. */
    private static boolean closedByPeer(Socket socket) {
        try {
            socket.setSoTimeout(1);
            if (socket.getInputStream().read() < 0) {
                PeerWatch.closeQuietly(socket);
                return true;
            }
            return false;
        } catch (SocketTimeoutException open) {
            return false;
        } catch (IOException e) {
            PeerWatch.closeQuietly(socket);
            return true;
        }
    }

    /** Stops listening and closes the held connections, which peers take as this process's end. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        synchronized (held) {
            held.forEach(PeerWatch::closeQuietly);
            held.clear();
        }
    }
}
