package io.dagctl.coordinator.engine;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import jdk.net.ExtendedSocketOptions;

/**
 * The watch of one peer's {@link LivenessPort}, on a thread of its own: it holds a connection there and, once it was
 * greeted by the peer, takes a refusal or another id's greeting from that same address as the peer's end. Anything else
 * (no answer, an address that never greeted it, a name now resolving elsewhere) tells nothing.
 */
final class PeerWatch {

    private static final Duration RETRY = Duration.ofMillis(500);
    /** How soon a port that never greeted is tried again. */
    private static final Duration UNCONFIRMED_RETRY = Duration.ofSeconds(5);

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);
    private static final Duration GREETING_TIMEOUT = Duration.ofSeconds(2);

    private final String base;
    private final InetSocketAddress unresolved;
    private final BooleanSupplier stopped;
    private volatile boolean released;
    private volatile Socket socket;
    /** This peer's port greeted this watch with the peer's own id at least once, at {@link #confirmedAt}. */
    private boolean confirmed;

    private InetAddress confirmedAt;

    /**
     * @param base the peer's member id without Kafka Streams' thread number: what its port greets with
     * @param stopped whether the watching instance is closing
     */
    PeerWatch(String base, InetSocketAddress unresolved, BooleanSupplier stopped) {
        this.base = base;
        this.unresolved = unresolved;
        this.stopped = stopped;
    }

    /** Watches until the peer is gone (true), or until released or stopped (false). */
    boolean awaitGone() {
        while (!stopped.getAsBoolean() && !released) {
            long began = System.nanoTime();
            Outcome outcome = connectAndHold();
            if (stopped.getAsBoolean() || released) {
                return false;
            }
            switch (outcome) {
                case GONE -> {
                    if (confirmed) {
                        return true;
                    }
                    sleep(UNCONFIRMED_RETRY); // an address that never reached it: the session decides
                }
                case ENDED -> {
                    // the held connection closed: try at once, unless it was held only a moment
                    if (System.nanoTime() - began < Duration.ofSeconds(1).toNanos()) {
                        sleep(RETRY);
                    }
                }
                case SILENT -> sleep(confirmed ? RETRY : UNCONFIRMED_RETRY); // the session decides
            }
        }
        return false;
    }

    private Outcome connectAndHold() {
        Socket s = new Socket();
        socket = s;
        InetSocketAddress target = null;
        try (s) {
            if (stopped.getAsBoolean() || released) {
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
     * Whether a refusal or a foreign greeting came from the address that greeted as the peer: the same name may resolve
     * elsewhere now (several records, a changed entry), where it tells nothing of the peer.
     */
    private boolean sameAddress(InetSocketAddress tried) {
        return confirmedAt != null && tried != null && confirmedAt.equals(tried.getAddress());
    }

    /** The peer left the group, or this instance closes: the watch ends without acting. */
    void release() {
        released = true;
        Socket s = socket;
        if (s != null) {
            closeQuietly(s);
        }
    }

    /** What one try at a peer's port found. */
    private enum Outcome {
        /** Refused, or greeted by another id: no process of that id listens there. */
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

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
