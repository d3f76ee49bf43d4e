package io.dagctl.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A program of ours in a JVM of its own, as an operator would run it: started with its settings, stopped with
 * SIGTERM, killed with SIGKILL, and started again the same way (same port, same data).
 */
public final class ManagedProcess {

    public final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    public ManagedProcess(String name, List<String> javaArgs, Map<String, String> env, Path log) {
        this.name = name;
        this.command = new ArrayList<>();
        this.command.add(ProcessHandle.current().info().command().orElse("java"));
        this.command.addAll(javaArgs);
        this.env = env;
        this.log = log;
    }

    public ManagedProcess start() throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        process = builder.start();
        return this;
    }

    /** The process id, or -1 before it started. */
    public long pid() {
        return process == null ? -1 : process.pid();
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no goodbye to the consumer group. */
    public void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM and wait, SIGKILL if it takes too long. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    public Path log() {
        return log;
    }

    public long countLogLines(String containing) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(containing)).count();
        }
    }

    /** Its state and the end of its log, for a failed test. */
    public String describe() throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return name
                + (isAlive()
                        ? " (running)"
                        : process == null ? " (not started)" : " (exited " + process.exitValue() + ")")
                + ", log " + log + ":\n"
                + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
