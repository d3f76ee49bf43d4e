package io.dagctl.core.model;

/**
 * A parameter a DAG's runs take.
 *
 * @param defaultValue the canonical text used when a run does not give the parameter, or null
 * @param required a run must give it (only without a default)
 * @param description for people reading the DAG or its listing, or null
 */
public record ParamSpec(String name, ParamType type, String defaultValue, boolean required, String description) {

    public ParamSpec {
        if (type == null) {
            type = ParamType.STRING;
        }
    }

    /** Declared as {@code NAME: default}: a string with that default. */
    public static ParamSpec string(String name, String defaultValue) {
        return new ParamSpec(name, ParamType.STRING, defaultValue, false, null);
    }
}
