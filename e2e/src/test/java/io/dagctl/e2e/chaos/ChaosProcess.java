package io.dagctl.e2e.chaos;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A process of the chaos cluster: started with its settings, killed with SIGKILL, started again the same way. */
final class ChaosProcess {

    final String name;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path log;
    private Process process;

    ChaosProcess(String name, List<String> javaArgs, Map<String, String> env, Path log) {
        this.name = name;
        this.command = new ArrayList<>();
        this.command.add(ProcessHandle.current().info().command().orElse("java"));
        this.command.addAll(javaArgs);
        this.env = env;
        this.log = log;
    }

    ChaosProcess start() throws IOException {
        Files.createDirectories(log.getParent());
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        process = builder.start();
        return this;
    }

    boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no goodbye to the consumer group. */
    void kill() throws InterruptedException {
        if (process != null) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** SIGTERM and wait, SIGKILL if it takes too long. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(40, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    Path log() {
        return log;
    }

    long countLogLines(String containing) throws IOException {
        if (!Files.exists(log)) {
            return 0;
        }
        try (var lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(containing)).count();
        }
    }
}
