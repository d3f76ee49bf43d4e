package io.dagctl.cli.local;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** One of our programs running as a child JVM, its output in a log file. */
final class ServiceProcess {

    private final String name;
    private final Process process;
    private final Path logFile;

    private ServiceProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
    }

    /** A Quarkus application jar. */
    static List<String> jarArgs(Path jar, List<String> jvmOptions) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IOException(jar
                    + " does not exist; build it with ./mvnw -DskipTests package (./dagctl does this on first use)");
        }
        // started as "-jar quarkus-run.jar" from the jar's directory (see start's workDir), as the training was
        List<String> args = new ArrayList<>(ClassDataArchives.forApplication(jar.getParent()));
        args.addAll(jvmOptions);
        args.add("-jar");
        args.add(jar.getFileName().toString());
        return args;
    }

    /**
     * Starts {@code java javaArgs} in {@code workDir}. A detached process gets a session of its own (setsid), so it
     * outlives this command and the terminal it ran in.
     */
    static ServiceProcess start(
            String name, List<String> javaArgs, Path workDir, Map<String, String> env, Path logFile, boolean detached)
            throws IOException {
        List<String> command = new ArrayList<>();
        if (detached && Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            command.add("/usr/bin/setsid");
        }
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(javaArgs);
        Files.createDirectories(logFile.getParent());
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        return new ServiceProcess(name, builder.start(), logFile);
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    Path logFile() {
        return logFile;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, so the service shuts down cleanly (a worker drains); SIGKILL if it has not exited in time. */
    void stop(long graceMillis) {
        stop(process.toHandle(), graceMillis);
    }

    /** SIGKILL, for a service whose state is discarded anyway. */
    void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static boolean stop(ProcessHandle handle, long graceMillis) {
        if (!handle.isAlive()) {
            return false;
        }
        handle.destroy();
        try {
            handle.onExit().get(graceMillis, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // nothing more can be done
            }
        }
        return true;
    }

    /** The last lines of the log, for error messages. */
    String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
