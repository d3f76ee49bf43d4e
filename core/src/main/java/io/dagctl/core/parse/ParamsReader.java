package io.dagctl.core.parse;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.model.ParamSpec;
import io.dagctl.core.model.ParamType;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads a DAG's {@code params:} block: {@code NAME: default} (a string), or {@code NAME: {type, default, required,
 * description}}. Each declaration is checked where it stands: the name (tasks see it as an environment variable), the
 * type, a default of that type, and a required parameter with a default.
 */
final class ParamsReader {

    private static final List<String> FIELDS = List.of("type", "default", "required", "description");
    /** What YAML 1.1 reads as true (snakeyaml tags these as booleans). */
    private static final List<String> YAML_TRUE = List.of("true", "yes", "on");

    private final NodeReader reader;

    ParamsReader(NodeReader reader) {
        this.reader = reader;
    }

    /** The declarations in order; those with a problem are left out (and the problem recorded). */
    Map<String, ParamSpec> read(Node value) {
        Map<String, ParamSpec> params = new LinkedHashMap<>();
        if (reader.isNull(value)) {
            return params;
        }
        if (!(value instanceof MappingNode mapping)) {
            reader.problem(
                    value.getStartMark(),
                    null,
                    "params",
                    "expected a mapping of parameter names to a default or to {type, default, required, description},"
                            + " found " + NodeReader.describe(value));
            return params;
        }
        Map<String, String> byEnvName = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                reader.problem(tuple.getKeyNode().getStartMark(), null, "params", "a parameter name must be a word");
                continue;
            }
            String name = key.getValue();
            String field = "params." + name;
            if (!RunParams.NAME.matcher(name).matches()) {
                reader.problem(
                        key.getStartMark(),
                        null,
                        field,
                        "'" + name + "' is not a parameter name: letters, digits and '_', not starting with a digit,"
                                + " at most 64 (tasks see it as " + RunParams.ENV_PREFIX + "NAME)");
                continue;
            }
            String envName = RunParams.envName(name);
            String other = byEnvName.putIfAbsent(envName, name);
            if (other != null) {
                reader.problem(
                        key.getStartMark(),
                        null,
                        field,
                        other.equals(name)
                                ? "parameter '" + name + "' is declared more than once"
                                : "parameters '" + other + "' and '" + name + "' would both be " + envName
                                        + " for the tasks; rename one");
                continue;
            }
            declaration(name, field, tuple.getValueNode()).ifPresent(spec -> params.put(name, spec));
        }
        int defaultBytes = params.values().stream()
                .filter(p -> p.defaultValue() != null)
                .mapToInt(p -> p.name().length() + 1 + p.defaultValue().getBytes(StandardCharsets.UTF_8).length)
                .sum();
        if (defaultBytes > RecordLimits.MAX_PARAMS_BYTES) {
            reader.problem(
                    mapping.getStartMark(),
                    null,
                    "params",
                    "the defaults have " + defaultBytes + " bytes; a run's parameters are at most "
                            + RecordLimits.describe(RecordLimits.MAX_PARAMS_BYTES)
                            + " (every task gets them in its environment)");
        }
        return params;
    }

    private Optional<ParamSpec> declaration(String name, String field, Node value) {
        if (!(value instanceof MappingNode mapping)) {
            if (value instanceof ScalarNode scalar) {
                return Optional.of(ParamSpec.string(name, reader.isNull(scalar) ? null : scalar.getValue()));
            }
            reader.problem(
                    value.getStartMark(),
                    null,
                    field,
                    "expected a default value or {type, default, required, description}, found "
                            + NodeReader.describe(value));
            return Optional.empty();
        }
        ParamType[] type = {ParamType.STRING};
        Node[] defaultNode = {null};
        boolean[] required = {false};
        String[] description = {null};
        boolean[] ok = {true};
        int before = problemsSoFar();
        reader.fields(mapping, null, FIELDS, (key, node) -> {
            switch (key) {
                case "type" ->
                    reader.text(node, null, field + ".type").ifPresent(text -> {
                        Optional<ParamType> known = ParamType.fromYamlName(text);
                        if (known.isPresent()) {
                            type[0] = known.get();
                        } else {
                            ok[0] = false;
                            reader.problem(
                                    node.getStartMark(),
                                    null,
                                    field + ".type",
                                    "unknown type '" + text + "'" + Suggestions.hint(text, ParamType.yamlNames())
                                            + "; known types: " + String.join(", ", ParamType.yamlNames()));
                        }
                    });
                case "default" -> defaultNode[0] = reader.isNull(node) ? null : node;
                case "required" -> {
                    if (node instanceof ScalarNode s && s.getTag().equals(Tag.BOOL)) {
                        required[0] = YAML_TRUE.contains(s.getValue().toLowerCase(Locale.ROOT));
                    } else {
                        reader.problem(
                                node.getStartMark(),
                                null,
                                field + ".required",
                                "expected true or false, found " + NodeReader.describe(node));
                    }
                }
                default ->
                    description[0] =
                            reader.text(node, null, field + ".description").orElse(null);
            }
        });
        String defaultValue = defaultNode[0] == null || !ok[0] ? null : defaultValue(type[0], defaultNode[0], field);
        if (required[0] && defaultNode[0] != null) {
            reader.problem(
                    mapping.getStartMark(),
                    null,
                    field,
                    "a parameter with a default is never missing: drop 'required' or the default");
        }
        if (problemsSoFar() > before) {
            return Optional.empty();
        }
        return Optional.of(new ParamSpec(name, type[0], defaultValue, required[0], description[0]));
    }

    private String defaultValue(ParamType type, Node node, String field) {
        try {
            if (node instanceof SequenceNode sequence && type == ParamType.LIST) {
                return listOf(sequence, field);
            }
            if (node instanceof ScalarNode scalar) {
                return type.canonical(scalar.getValue());
            }
            reader.problem(
                    node.getStartMark(),
                    null,
                    field + ".default",
                    "expected a " + type.yamlName() + " value, found " + NodeReader.describe(node));
        } catch (IllegalArgumentException e) {
            reader.problem(
                    node.getStartMark(), null, field + ".default", "not a " + type.yamlName() + ": " + e.getMessage());
        }
        return null;
    }

    /** A YAML list of scalars as a JSON array: numbers and booleans stay what YAML says they are. */
    private String listOf(SequenceNode sequence, String field) {
        ArrayNode items = JsonNodeFactory.instance.arrayNode();
        for (Node item : sequence.getValue()) {
            if (!(item instanceof ScalarNode scalar) || reader.isNull(item)) {
                reader.problem(
                        item.getStartMark(),
                        null,
                        field + ".default",
                        "a list holds strings, numbers or booleans, found " + NodeReader.describe(item));
                return null;
            }
            Tag tag = scalar.getTag();
            String text = scalar.getValue();
            if (tag.equals(Tag.INT) || tag.equals(Tag.FLOAT)) {
                try {
                    items.add(new BigDecimal(text.replace("_", "")));
                    continue;
                } catch (NumberFormatException e) {
                    // YAML numbers Java does not read (0x1F, .inf): kept as written
                }
            } else if (tag.equals(Tag.BOOL)) {
                items.add(YAML_TRUE.contains(text.toLowerCase(Locale.ROOT)));
                continue;
            }
            items.add(text);
        }
        return items.toString();
    }

    private int problemsSoFar() {
        return reader.problemCount();
    }
}
