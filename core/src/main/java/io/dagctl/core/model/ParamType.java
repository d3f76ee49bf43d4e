package io.dagctl.core.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The type of a run parameter. Every value travels as text (tasks see it in their environment); each type checks a
 * value and gives its one canonical text, so that {@code 007} and {@code 7} are the same int and a list is always a
 * JSON array.
 */
public enum ParamType {
    STRING,
    /** A whole number within a signed 64-bit range. */
    INT,
    /** A decimal number, written without exponent. */
    NUMBER,
    /** {@code true} or {@code false}, in any case. */
    BOOL,
    /** A JSON array of strings, numbers or booleans; on the command line also {@code a,b,c} (strings). */
    LIST;

    private static final ObjectMapper JSON = new ObjectMapper();
    /** How many digits a number may have before, and after, its point. */
    static final int MAX_NUMBER_DIGITS = 1_000;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ParamType> fromYamlName(String value) {
        return Arrays.stream(values()).filter(t -> t.yamlName().equals(value)).findFirst();
    }

    public static List<String> yamlNames() {
        return Arrays.stream(values()).map(ParamType::yamlName).toList();
    }

    /**
     * The canonical text of a value given as text.
     *
     * @throws IllegalArgumentException saying what the value should look like
     */
    public String canonical(String text) {
        return switch (this) {
            case STRING -> text;
            case INT -> {
                try {
                    yield Long.toString(Long.parseLong(text.strip().replace("_", "")));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected a whole number, got '" + text + "'");
                }
            }
            case NUMBER -> {
                BigDecimal number;
                try {
                    number = new BigDecimal(text.strip().replace("_", ""));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected a number, got '" + text + "'");
                }
                // written out without an exponent: 1e999999999 would be a billion digits
                if (Math.abs((long) number.scale()) > MAX_NUMBER_DIGITS
                        || (long) number.precision() - number.scale() > MAX_NUMBER_DIGITS) {
                    throw new IllegalArgumentException("a number of at most " + MAX_NUMBER_DIGITS
                            + " digits before and after the point is expected, got '" + abbreviate(text) + "'");
                }
                yield number.toPlainString();
            }
            case BOOL -> {
                String lower = text.strip().toLowerCase(Locale.ROOT);
                if (!lower.equals("true") && !lower.equals("false")) {
                    throw new IllegalArgumentException("expected true or false, got '" + text + "'");
                }
                yield lower;
            }
            case LIST -> canonicalList(text);
        };
    }

    /**
     * A canonical text as the typed value expressions see: a string, a long, a double, a boolean, or a list of those.
     *
     * @throws IllegalArgumentException when the text is not this type's
     */
    public Object value(String canonicalText) {
        String text = canonical(canonicalText);
        return switch (this) {
            case STRING -> text;
            case INT -> Long.parseLong(text);
            case NUMBER -> Double.parseDouble(text);
            case BOOL -> Boolean.parseBoolean(text);
            case LIST -> {
                try {
                    yield JSON.readValue(text, List.class);
                } catch (JsonProcessingException e) {
                    throw new IllegalArgumentException("expected a JSON array, got '" + abbreviate(text) + "'");
                }
            }
        };
    }

    private static String abbreviate(String text) {
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    private static String canonicalList(String text) {
        String stripped = text.strip();
        ArrayNode items;
        if (stripped.startsWith("[")) {
            try {
                JsonNode parsed = JSON.readTree(stripped);
                if (!(parsed instanceof ArrayNode array)) {
                    throw new IllegalArgumentException("expected a JSON array, got '" + text + "'");
                }
                for (JsonNode item : array) {
                    if (!item.isValueNode() || item.isNull()) {
                        throw new IllegalArgumentException(
                                "a list holds strings, numbers or booleans; got " + item + " in '" + text + "'");
                    }
                }
                items = array;
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(
                        "expected a JSON array or a,b,c; '" + text + "' is not valid JSON: " + e.getOriginalMessage());
            }
        } else {
            items = JSON.createArrayNode();
            if (!stripped.isEmpty()) {
                for (String item : stripped.split(",", -1)) {
                    items.add(item.strip());
                }
            }
        }
        return items.toString();
    }
}
