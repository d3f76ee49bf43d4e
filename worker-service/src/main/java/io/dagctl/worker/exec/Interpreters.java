package io.dagctl.worker.exec;

import io.dagctl.core.model.TaskType;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The absolute path of each task type's interpreter, resolved once at start-up. For python the real executable is
 * asked of the interpreter itself, so a version-manager shim on PATH (100+ ms a start) is paid once, not per task.
 */
public final class Interpreters {

    private static final System.Logger LOG = System.getLogger(Interpreters.class.getName());

    private final Map<TaskType, Path> paths = new EnumMap<>(TaskType.class);
    private final Map<TaskType, String> problems = new EnumMap<>(TaskType.class);

    public Interpreters(Optional<String> bash, Optional<String> python) {
        resolve(TaskType.BASH, bash, "bash", false);
        resolve(TaskType.PYTHON, python, "python3", true);
    }

    private void resolve(TaskType type, Optional<String> configured, String name, boolean askForRealPath) {
        Optional<Path> found = configured.map(Path::of).or(() -> onPath(name));
        if (found.isEmpty() || !Files.isExecutable(found.get())) {
            problems.put(
                    type,
                    (configured.isPresent() ? configured.get() + " is not executable" : name + " was not found on PATH")
                            + "; set dagctl.worker." + type.yamlName() + " to its absolute path");
            LOG.log(System.Logger.Level.WARNING, "{0} tasks cannot run here: {1}", type.yamlName(), problems.get(type));
            return;
        }
        Path path = found.get();
        if (askForRealPath) {
            path = realExecutable(path).orElse(path);
        }
        paths.put(type, path);
        LOG.log(System.Logger.Level.INFO, "{0} tasks run with {1}", type.yamlName(), path);
    }

    private static Optional<Path> onPath(String name) {
        String pathVar = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/local/bin:/usr/bin:/bin");
        for (String dir : pathVar.split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate.toAbsolutePath());
            }
        }
        return Optional.empty();
    }

    private static Optional<Path> realExecutable(Path python) {
        try {
            Process p = new ProcessBuilder(List.of(python.toString(), "-c", "import sys; print(sys.executable)"))
                    .redirectErrorStream(true)
                    .start();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.empty();
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.exitValue() == 0 && !out.isEmpty() && Files.isExecutable(Path.of(out))
                    ? Optional.of(Path.of(out))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** The command line for a task, or empty when this worker has no interpreter for its type. */
    /** The bash found at start-up (the process keeper runs in it), or empty. */
    public Optional<Path> bash() {
        return Optional.ofNullable(paths.get(TaskType.BASH));
    }

    public Optional<List<String>> commandLine(TaskType type, String command) {
        Path path = paths.get(type);
        return path == null ? Optional.empty() : Optional.of(List.of(path.toString(), "-c", command));
    }

    public String whyMissing(TaskType type) {
        return problems.getOrDefault(type, "no interpreter for " + type.yamlName());
    }
}
