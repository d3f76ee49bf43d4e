package io.dagctl.core.parse;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiConsumer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.Tag;

/** Reads values out of YAML nodes, recording a located problem for each one of the wrong shape. */
final class NodeReader {

    private final String file;
    private final List<Problem> problems;

    NodeReader(String file, List<Problem> problems) {
        this.file = file;
        this.problems = problems;
    }

    int problemCount() {
        return problems.size();
    }

    void problem(Mark mark, String task, String field, String message) {
        problems.add(new Problem(
                file,
                mark == null ? 0 : mark.getLine() + 1,
                mark == null ? 0 : mark.getColumn() + 1,
                task,
                field,
                message));
    }

    /** A problem at a 1-based line and column (inside a scalar, where no mark points). */
    void problemAt(int line, int column, String task, String field, String message) {
        problems.add(new Problem(file, line, column, task, field, message));
    }

    /**
     * Calls {@code onField} for each key of a mapping that is a known field; reports unknown fields (with a
     * did-you-mean), duplicate keys and non-scalar keys.
     */
    void fields(MappingNode mapping, String task, List<String> known, BiConsumer<String, Node> onField) {
        Set<String> seen = new HashSet<>();
        for (NodeTuple tuple : mapping.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode keyScalar)) {
                problem(keyNode.getStartMark(), task, null, "a field name must be a plain word");
                continue;
            }
            String key = keyScalar.getValue();
            if (!seen.add(key)) {
                problem(keyNode.getStartMark(), task, key, "field '" + key + "' is given more than once");
                continue;
            }
            if (!known.contains(key)) {
                problem(
                        keyNode.getStartMark(),
                        task,
                        key,
                        "unknown field '" + key + "'" + Suggestions.hint(key, known) + "; known fields: "
                                + String.join(", ", known));
                continue;
            }
            onField.accept(key, tuple.getValueNode());
        }
    }

    boolean isNull(Node node) {
        return node instanceof ScalarNode s && s.getTag().equals(Tag.NULL);
    }

    /** A scalar's text (numbers and booleans as written), or empty with a problem. */
    Optional<String> text(Node node, String task, String field) {
        if (node instanceof ScalarNode scalar && !scalar.getTag().equals(Tag.NULL)) {
            return Optional.of(scalar.getValue());
        }
        problem(node.getStartMark(), task, field, "expected a text value, found " + describe(node));
        return Optional.empty();
    }

    Optional<Integer> integer(Node node, String task, String field, int min, int max) {
        if (node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.INT)) {
            try {
                int value = Integer.parseInt(scalar.getValue().replace("_", ""));
                if (value >= min && value <= max) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // reported below as out of range
            }
            problem(
                    node.getStartMark(),
                    task,
                    field,
                    "must be a whole number from " + min + " to " + max + ", got " + scalar.getValue());
            return Optional.empty();
        }
        problem(node.getStartMark(), task, field, "expected a whole number, found " + describe(node));
        return Optional.empty();
    }

    static String describe(Node node) {
        if (node instanceof ScalarNode scalar) {
            if (scalar.getTag().equals(Tag.NULL)) {
                return "nothing (null)";
            }
            String kind = scalar.getTag().equals(Tag.INT) || scalar.getTag().equals(Tag.FLOAT)
                    ? "number"
                    : scalar.getTag().equals(Tag.BOOL) ? "boolean" : "text";
            return kind + " '" + scalar.getValue() + "'";
        }
        return switch (node.getNodeId()) {
            case sequence -> "a list";
            case mapping -> "a mapping";
            default -> node.getNodeId().name();
        };
    }
}
