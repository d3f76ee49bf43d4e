package io.dagctl.core.event;

/**
 * Checks that a record read from a topic carries what its readers rely on. A missing field makes the record
 * unreadable: it goes to the dead-letter topic instead of being half applied.
 */
final class Required {

    private Required() {}

    static <T> T field(T value, String event, String field) {
        if (value == null) {
            throw new IllegalArgumentException(event + " without " + field);
        }
        return value;
    }
}
