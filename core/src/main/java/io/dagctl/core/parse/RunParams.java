package io.dagctl.core.parse;

import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.ParamSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The parameters a run starts with: what it was given, checked against what its DAG declares, with defaults filled
 * in and every value in its type's canonical text. A DAG that declares no parameters takes any, as text.
 */
public final class RunParams {

    /** A parameter's name: tasks see it in their environment as {@link #envName}. */
    public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    public static final String ENV_PREFIX = "DAGCTL_PARAM_";

    private RunParams() {}

    /** The environment variable a task sees a parameter as. */
    public static String envName(String param) {
        return ENV_PREFIX + param.toUpperCase(Locale.ROOT);
    }

    public static Map<String, String> resolve(DagSpec dag, Map<String, String> given) throws InvalidParamsException {
        Map<String, ParamSpec> declared = dag.params();
        if (declared.isEmpty()) {
            return Map.copyOf(given);
        }
        List<ParamProblem> problems = new ArrayList<>();
        for (String name : given.keySet()) {
            if (!declared.containsKey(name)) {
                problems.add(new ParamProblem(
                        name,
                        "DAG '" + dag.name() + "' takes no such parameter" + Suggestions.hint(name, declared.keySet())
                                + "; it takes " + String.join(", ", declared.keySet())));
            }
        }
        Map<String, String> resolved = new LinkedHashMap<>();
        for (ParamSpec spec : declared.values()) {
            String value = given.get(spec.name());
            if (value == null) {
                if (spec.defaultValue() != null) {
                    resolved.put(spec.name(), spec.defaultValue());
                } else if (spec.required()) {
                    problems.add(new ParamProblem(
                            spec.name(),
                            "missing; the DAG requires it (" + spec.type().yamlName()
                                    + (spec.description() == null ? "" : ": " + spec.description()) + ")"));
                }
                continue;
            }
            try {
                resolved.put(spec.name(), spec.type().canonical(value));
            } catch (IllegalArgumentException e) {
                problems.add(new ParamProblem(
                        spec.name(), e.getMessage() + " (" + spec.type().yamlName() + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidParamsException(problems);
        }
        return resolved;
    }
}
