package io.dagctl.e2e.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@code redis-server} (Debian's) for the BullMQ peer: either without persistence, as BullMQ's own benchmarks run
 * it, or with an append-only file synced every second, the most durable setting people run it with in production.
 */
final class RedisServer implements AutoCloseable {

    enum Durability {
        /** Nothing written to disk: a crash of Redis loses every queued job. */
        NONE,
        /** Append-only file, fsync once a second: a crash loses up to a second of jobs. */
        AOF_EVERYSEC
    }

    private final Process process;
    final int port;

    RedisServer(Durability durability, Path dir) throws IOException, InterruptedException {
        port = freePort();
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(
                "redis-server",
                "--port",
                String.valueOf(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--save",
                ""));
        if (durability == Durability.AOF_EVERYSEC) {
            command.addAll(List.of("--appendonly", "yes", "--appendfsync", "everysec"));
        } else {
            command.addAll(List.of("--appendonly", "no"));
        }
        process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("redis.log").toFile())
                .start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "redis-server did not start on port " + port + "; see " + dir.resolve("redis.log"));
            }
            Thread.sleep(50);
        }
    }

    long pid() {
        return process.pid();
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
