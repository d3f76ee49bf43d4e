package io.dagctl.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** How a worker runs a task's command. */
public enum TaskType {
    /** {@code bash -c COMMAND}. */
    BASH,
    /** {@code python3 -c COMMAND}, with the interpreter resolved once by the worker. */
    PYTHON,
    /**
     * No command: a worker completes it at once without starting a process. For joins and gates in a DAG, and for
     * measuring the scheduler itself.
     */
    NOOP;

    /** Whether tasks of this type run a command (and so must have one). */
    public boolean runsCommand() {
        return this != NOOP;
    }

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TaskType> fromYamlName(String value) {
        return Arrays.stream(values()).filter(t -> t.yamlName().equals(value)).findFirst();
    }

    public static List<String> yamlNames() {
        return Arrays.stream(values()).map(TaskType::yamlName).toList();
    }
}
