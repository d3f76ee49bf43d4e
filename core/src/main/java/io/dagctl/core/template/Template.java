package io.dagctl.core.template;

import io.dagctl.core.event.Events;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A text with {@code {{ expression | filter }}} placeholders: each expression is CEL ({@link Expressions}); the
 * filters are {@code quote} (the value as one shell word) and {@code json} (the value as JSON). A value renders as its
 * text when it is a string, number or boolean, as JSON when it is a list or an object, and never as nothing: null
 * fails the rendering.
 */
public final class Template {

    private static final String OPEN = "{{";
    private static final String CLOSE = "}}";

    /** What a placeholder's value goes through, left to right. */
    public enum Filter {
        QUOTE,
        JSON;

        static List<String> names() {
            return List.of("quote", "json");
        }
    }

    /** One {@code {{ … }}}: where it starts in the text (0-based), its expression and filters. */
    public record Placeholder(int offset, String text, Expressions.Compiled expression, List<Filter> filters) {}

    private final String text;
    private final List<Object> parts; // String literals and Placeholders, in order

    private Template(String text, List<Object> parts) {
        this.text = text;
        this.parts = parts;
    }

    /** Whether a text holds placeholders at all: a quick test before anything is parsed. */
    public static boolean mayHold(String text) {
        return text != null && text.contains(OPEN);
    }

    /** @throws TemplateException naming the placeholder that is wrong and why */
    public static Template parse(String text) throws TemplateException {
        List<Object> parts = new ArrayList<>();
        int at = 0;
        while (true) {
            int open = text.indexOf(OPEN, at);
            if (open < 0) {
                if (at < text.length()) {
                    parts.add(text.substring(at));
                }
                return new Template(text, parts);
            }
            if (open > at) {
                parts.add(text.substring(at, open));
            }
            int close = closing(text, open + OPEN.length());
            if (close < 0) {
                throw new TemplateException(open, "'{{' without a closing '}}'");
            }
            String inner = text.substring(open + OPEN.length(), close);
            parts.add(placeholder(open, text.substring(open, close + CLOSE.length()), inner));
            at = close + CLOSE.length();
        }
    }

    private static Placeholder placeholder(int offset, String whole, String inner) throws TemplateException {
        List<String> pieces = splitFilters(inner);
        String source = pieces.get(0).strip();
        if (source.isEmpty()) {
            throw new TemplateException(offset, "empty placeholder " + whole);
        }
        List<Filter> filters = new ArrayList<>();
        for (String name : pieces.subList(1, pieces.size())) {
            String filter = name.strip();
            if (!Filter.names().contains(filter)) {
                throw new TemplateException(
                        offset,
                        "unknown filter '" + filter + "' in " + whole + "; the filters are "
                                + String.join(", ", Filter.names()));
            }
            filters.add(Filter.valueOf(filter.toUpperCase(Locale.ROOT)));
        }
        try {
            return new Placeholder(offset, whole, Expressions.shared().compile(source), filters);
        } catch (ExpressionException e) {
            throw new TemplateException(offset, "in " + whole + ": " + e.getMessage());
        }
    }

    /** The index of the {@code }}} that closes a placeholder, past string literals; -1 when there is none. */
    private static int closing(String text, int from) {
        for (int i = from; i < text.length(); i = pastQuoted(text, i) + 1) {
            if (text.startsWith(CLOSE, i)) {
                return i;
            }
        }
        return -1;
    }

    /** At a quote: the index of the quote that closes it (escapes skipped), or the end; anywhere else: {@code at}. */
    private static int pastQuoted(String text, int at) {
        char quote = text.charAt(at);
        if (quote != '\'' && quote != '"') {
            return at;
        }
        int i = at + 1;
        while (i < text.length() && text.charAt(i) != quote) {
            i += text.charAt(i) == '\\' ? 2 : 1;
        }
        return i;
    }

    /** The expression, then each filter: split at each '|' that is outside quotes and not part of '||'. */
    private static List<String> splitFilters(String inner) {
        List<String> pieces = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < inner.length(); i = pastQuoted(inner, i) + 1) {
            if (inner.charAt(i) != '|') {
                continue;
            }
            if (i + 1 < inner.length() && inner.charAt(i + 1) == '|') {
                i++;
            } else {
                pieces.add(inner.substring(start, i));
                start = i + 1;
            }
        }
        pieces.add(inner.substring(start));
        return pieces;
    }

    public String text() {
        return text;
    }

    /**
     * The expression of a template that is one placeholder without filters and nothing else but blanks: its value can
     * be taken as it is (a list stays a list) rather than as text.
     */
    public Optional<Expressions.Compiled> singleExpression() {
        List<Placeholder> placeholders = placeholders();
        if (placeholders.size() != 1 || !placeholders.get(0).filters().isEmpty()) {
            return Optional.empty();
        }
        for (Object part : parts) {
            if (part instanceof String literal && !literal.isBlank()) {
                return Optional.empty();
            }
        }
        return Optional.of(placeholders.get(0).expression());
    }

    public List<Placeholder> placeholders() {
        return parts.stream()
                .filter(Placeholder.class::isInstance)
                .map(Placeholder.class::cast)
                .toList();
    }

    /** What every placeholder reads, together. */
    public References references() {
        return References.merge(
                placeholders().stream().map(p -> p.expression().references()).toList());
    }

    /** The text with every placeholder replaced by its value. */
    public String render(Map<String, Object> variables) throws ExpressionException {
        StringBuilder out = new StringBuilder(text.length());
        for (Object part : parts) {
            if (part instanceof String literal) {
                out.append(literal);
                continue;
            }
            Placeholder p = (Placeholder) part;
            Object value;
            try {
                value = Expressions.shared().evaluate(p.expression(), variables);
            } catch (ExpressionException e) {
                throw new ExpressionException(p.text() + ": " + e.getMessage());
            }
            if (value == null) {
                throw new ExpressionException(p.text() + " is null; a placeholder never renders as nothing");
            }
            String rendered = null;
            Object current = value;
            try {
                for (Filter filter : p.filters()) {
                    rendered = filter == Filter.JSON ? Events.toJsonText(current) : shellQuote(asText(current));
                    current = rendered;
                }
                out.append(rendered != null ? rendered : asText(value));
            } catch (RuntimeException e) {
                throw new ExpressionException(p.text() + ": its value cannot be written as text or JSON ("
                        + value.getClass().getSimpleName() + ")");
            }
        }
        return out.toString();
    }

    /** A value as text: strings as they are, numbers and booleans as written, lists and objects as JSON. */
    public static String asText(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        return Events.toJsonText(value);
    }

    /** One shell word whatever the text holds: single quotes, with each single quote written as '\''. */
    public static String shellQuote(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }
}
