package io.dagctl.core.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Task queues: each is a dispatch topic of its own, served by the workers told to serve it. A task names its queue
 * ({@code queue:}, or its DAG's); without one it goes to {@link #DEFAULT}.
 */
public final class Queues {

    /** The queue of a task that names none, served by every worker unless told otherwise. */
    public static final String DEFAULT = "default";

    /** Letters, digits, '_' and '-', up to 64: part of a topic name, a metric label and a Kubernetes name. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");

    public static final String NAME_RULE = "letters, digits, '_' and '-', starting with a letter or digit, at most 64";

    private Queues() {}

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** The queue a task with {@code queue} (null: none named) goes to. */
    public static String of(String queue) {
        return queue == null ? DEFAULT : queue;
    }

    /**
     * The queues a worker serves from a comma-separated list, blanks ignored, each once, in order.
     *
     * @throws IllegalArgumentException naming every invalid name, or when the list names none
     */
    public static List<String> parseList(String list) {
        Set<String> names = new LinkedHashSet<>();
        List<String> invalid = new ArrayList<>();
        for (String part : list.split(",")) {
            String name = part.strip();
            if (name.isEmpty()) {
                continue;
            }
            if (isValid(name)) {
                names.add(name);
            } else {
                invalid.add("'" + name + "'");
            }
        }
        if (!invalid.isEmpty()) {
            throw new IllegalArgumentException(
                    "invalid queue name(s) " + String.join(", ", invalid) + ": " + NAME_RULE + " characters");
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("no queue named in '" + list + "'");
        }
        return List.copyOf(names);
    }
}
