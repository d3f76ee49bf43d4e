package io.dagctl.core.parse;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
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

/** A YAML node as a JSON-like value: strings, longs, doubles, booleans, lists and maps (no nulls). */
final class YamlValues {

    private YamlValues() {}

    /** The value, or the node where a value cannot be taken (a null, a non-text key) and why. */
    static Object value(Node node, NodeReader reader, String task, String field) {
        if (node instanceof SequenceNode sequence) {
            List<Object> list = new ArrayList<>(sequence.getValue().size());
            for (Node item : sequence.getValue()) {
                Object value = value(item, reader, task, field);
                if (value == null) {
                    return null;
                }
                list.add(value);
            }
            return list;
        }
        if (node instanceof MappingNode mapping) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                Optional<String> key = reader.text(tuple.getKeyNode(), task, field);
                Object value = value(tuple.getValueNode(), reader, task, field);
                if (key.isEmpty() || value == null) {
                    return null;
                }
                map.put(key.get(), value);
            }
            return map;
        }
        ScalarNode scalar = (ScalarNode) node;
        Tag tag = scalar.getTag();
        String text = scalar.getValue();
        try {
            if (tag.equals(Tag.INT)) {
                BigInteger n = new BigInteger(text.replace("_", ""));
                return n.bitLength() < 64 ? (Object) n.longValue() : new BigDecimal(n).doubleValue();
            }
            if (tag.equals(Tag.FLOAT)) {
                return Double.parseDouble(text.replace("_", ""));
            }
        } catch (NumberFormatException e) {
            return text;
        }
        if (tag.equals(Tag.BOOL)) {
            return Boolean.parseBoolean(text.toLowerCase(Locale.ROOT));
        }
        if (tag.equals(Tag.NULL)) {
            reader.problem(node.getStartMark(), task, field, "a list item may not be null");
            return null;
        }
        return text;
    }
}
