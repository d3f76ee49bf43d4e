package io.dagctl.core.template;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.navigation.CelNavigableAst;
import dev.cel.common.navigation.CelNavigableExpr;
import dev.cel.common.types.CelKind;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.values.NullValue;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelListsExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The expressions of templates and conditions: Google's CEL, a language without side effects, I/O or unbounded loops
 * (its comprehensions are capped here), compiled once per distinct text and checked for the names it may read:
 * {@code tasks}, {@code params}, {@code run}, {@code task} and {@code item}. Thread-safe.
 */
public final class Expressions {

    /** The fields of {@code tasks.NAME}. */
    public static final List<String> TASK_FIELDS = List.of("outputs", "status", "exit_code");
    /** The fields of {@code run}. */
    public static final List<String> RUN_FIELDS = List.of("id", "logical_date", "dag", "trigger");
    /** The fields of {@code task}. */
    public static final List<String> SELF_FIELDS = List.of("name", "attempt", "index");

    static final int MAX_EXPRESSION_CHARS = 4096;
    private static final int MAX_ITERATIONS = 100_000;
    private static final int CACHE_SIZE = 4096;

    private static final Expressions SHARED = new Expressions();

    /** A compiled expression and what it reads. */
    public record Compiled(String source, CelRuntime.Program program, References references, boolean maybeBoolean) {}

    private final CelCompiler compiler;
    private final CelRuntime runtime;
    private final Map<String, Compiled> cache = new ConcurrentHashMap<>();

    private Expressions() {
        CelOptions options = CelOptions.current()
                .comprehensionMaxIterations(MAX_ITERATIONS)
                .maxExpressionCodePointSize(MAX_EXPRESSION_CHARS)
                .build();
        var stringToDyn = MapType.create(SimpleType.STRING, SimpleType.DYN);
        // CEL's string (split, join, substring, replace, ...), list (flatten, slice, sort, ...) and math extensions
        var strings = CelExtensions.strings();
        // lists.range is left out: one call could build a list of any length, outside the iteration cap
        var lists = CelExtensions.lists(
                CelListsExtensions.Function.SLICE,
                CelListsExtensions.Function.FLATTEN,
                CelListsExtensions.Function.DISTINCT,
                CelListsExtensions.Function.REVERSE,
                CelListsExtensions.Function.SORT,
                CelListsExtensions.Function.SORT_BY);
        var math = CelExtensions.math(options);
        compiler = CelCompilerFactory.standardCelCompilerBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addLibraries(strings, lists, math)
                .addVar("tasks", stringToDyn)
                .addVar("params", stringToDyn)
                .addVar("run", stringToDyn)
                .addVar("task", stringToDyn)
                .addVar("item", SimpleType.DYN)
                .build();
        runtime = CelRuntimeFactory.standardCelRuntimeBuilder()
                .setOptions(options)
                .addLibraries(strings, lists, math)
                .build();
    }

    public static Expressions shared() {
        return SHARED;
    }

    /** A condition may be written bare or as one {@code {{ … }}}: the expression it holds. */
    public static String conditionExpression(String condition) {
        String trimmed = condition.strip();
        if (trimmed.startsWith("{{") && trimmed.endsWith("}}") && trimmed.indexOf("{{", 2) < 0) {
            return trimmed.substring(2, trimmed.length() - 2).strip();
        }
        return trimmed;
    }

    /** Compiles an expression and checks the names it reads. */
    public Compiled compile(String source) throws ExpressionException {
        Compiled known = cache.get(source);
        if (known != null) {
            return known;
        }
        CelAbstractSyntaxTree ast;
        try {
            ast = compiler.compile(source).getAst();
        } catch (CelValidationException e) {
            throw new ExpressionException(firstIssue(e));
        }
        References references = references(ast);
        CelRuntime.Program program;
        try {
            program = runtime.createProgram(ast);
        } catch (CelEvaluationException e) {
            throw new ExpressionException(e.getMessage());
        }
        CelKind kind = ast.getResultType().kind();
        Compiled compiled = new Compiled(source, program, references, kind == CelKind.BOOL || kind == CelKind.DYN);
        if (cache.size() >= CACHE_SIZE) {
            cache.clear(); // distinct expressions are few; a flood of them only costs recompiling
        }
        cache.put(source, compiled);
        return compiled;
    }

    /** Evaluates a compiled expression over variables given as JSON-like Java values. */
    public Object evaluate(Compiled expression, Map<String, Object> variables) throws ExpressionException {
        Map<String, Object> cel = new LinkedHashMap<>();
        variables.forEach((name, value) -> cel.put(name, toCel(value)));
        try {
            return fromCel(expression.program().eval(cel));
        } catch (CelEvaluationException e) {
            throw new ExpressionException(e.getMessage());
        } catch (RuntimeException e) {
            // a value CEL cannot take, or an error of its own: the expression fails, never the caller's unit
            throw new ExpressionException("could not be evaluated: " + e);
        }
    }

    private static String firstIssue(CelValidationException e) {
        var issues = e.getErrors();
        if (issues.isEmpty()) {
            return e.getMessage();
        }
        var issue = issues.get(0);
        int column = issue.getSourceLocation().getColumn();
        return issue.getMessage() + (column >= 0 ? " (at character " + (column + 1) + ")" : "");
    }

    /** JSON-like values as CEL takes them: whole numbers as long, decimals as double, null as CEL's null. */
    static Object toCel(Object value) {
        if (value == null) {
            return NullValue.NULL_VALUE;
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            return big.bitLength() < 64 ? big.longValue() : big.doubleValue();
        }
        if (value instanceof Float || value instanceof BigDecimal) {
            return ((Number) value).doubleValue();
        }
        if (value instanceof List<?> list) {
            List<Object> converted = new ArrayList<>(list.size());
            list.forEach(item -> converted.add(toCel(item)));
            return converted;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> converted = new LinkedHashMap<>();
            map.forEach((k, v) -> converted.put(k, toCel(v)));
            return converted;
        }
        return value;
    }

    /** CEL's results as JSON-like Java values (CEL's null as null). */
    static Object fromCel(Object value) {
        if (value instanceof NullValue) {
            return null;
        }
        if (value instanceof List<?> list) {
            List<Object> converted = new ArrayList<>(list.size());
            list.forEach(item -> converted.add(fromCel(item)));
            return converted;
        }
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> converted = new LinkedHashMap<>();
            map.forEach((k, v) -> converted.put(k, fromCel(v)));
            return converted;
        }
        return value;
    }

    /**
     * What the expression reads by name. A chain of member accesses ({@code tasks.load.outputs.rows}, or
     * {@code tasks['load']['outputs']}) is taken whole; a root read any other way is refused, because its names could
     * not be checked.
     */
    private static References references(CelAbstractSyntaxTree ast) throws ExpressionException {
        Map<String, Set<String>> tasks = new LinkedHashMap<>();
        Map<String, Set<String>> outputKeys = new LinkedHashMap<>();
        Set<String> params = new LinkedHashSet<>();
        boolean usesItem = false;
        List<CelNavigableExpr> nodes =
                CelNavigableAst.fromAst(ast).getRoot().allNodes().toList();
        for (CelNavigableExpr node : nodes) {
            CelExpr expr = node.expr();
            if (isMemberOfParent(node)) {
                continue; // only whole chains
            }
            List<String> path = new ArrayList<>();
            boolean[] testOnly = {false};
            if (!chain(expr, path, testOnly)) {
                continue;
            }
            String root = path.get(0);
            switch (root) {
                case "tasks" -> {
                    if (path.size() < 3) {
                        throw new ExpressionException(
                                path.size() < 2
                                        ? "'tasks' must be followed by a task name and a field, as in tasks.NAME.outputs.KEY"
                                        : "'tasks." + path.get(1) + "' must be followed by one of " + TASK_FIELDS);
                    }
                    String field = path.get(2);
                    if (!TASK_FIELDS.contains(field)) {
                        throw new ExpressionException("tasks." + path.get(1) + " has no field '" + field + "'"
                                + "; it has " + String.join(", ", TASK_FIELDS));
                    }
                    tasks.computeIfAbsent(path.get(1), k -> new LinkedHashSet<>())
                            .add(field);
                    if (field.equals("outputs") && path.size() >= 4 && !(testOnly[0] && path.size() == 4)) {
                        outputKeys
                                .computeIfAbsent(path.get(1), k -> new LinkedHashSet<>())
                                .add(path.get(3));
                    }
                }
                case "params" -> {
                    if (path.size() >= 2) {
                        params.add(path.get(1));
                    }
                }
                case "run" -> requireField("run", path, RUN_FIELDS);
                case "task" -> requireField("task", path, SELF_FIELDS);
                case "item" -> usesItem = true;
                default -> {
                    // a comprehension's own variable
                }
            }
        }
        return new References(tasks, outputKeys, params, usesItem);
    }

    private static void requireField(String root, List<String> path, List<String> fields) throws ExpressionException {
        if (path.size() < 2 || !fields.contains(path.get(1))) {
            throw new ExpressionException("'" + root + "' has the fields " + String.join(", ", fields)
                    + (path.size() < 2
                            ? "; name one, as in " + root + "." + fields.get(0)
                            : "; not '" + path.get(1) + "'"));
        }
    }

    /** Whether the node is the operand of a member access (so part of a longer chain). */
    private static boolean isMemberOfParent(CelNavigableExpr node) {
        Optional<CelNavigableExpr> parent = node.parent();
        if (parent.isEmpty()) {
            return false;
        }
        CelExpr p = parent.get().expr();
        if (p.getKind() == CelExpr.ExprKind.Kind.SELECT) {
            return p.select().operand().id() == node.expr().id();
        }
        return isIndexByConstant(p)
                && p.call().args().get(0).id() == node.expr().id();
    }

    private static boolean isIndexByConstant(CelExpr expr) {
        return expr.getKind() == CelExpr.ExprKind.Kind.CALL
                && expr.call().function().equals("_[_]")
                && expr.call().args().size() == 2
                && expr.call().args().get(1).getKind() == CelExpr.ExprKind.Kind.CONSTANT
                && expr.call().args().get(1).constant().getKind() == CelConstant.Kind.STRING_VALUE;
    }

    /** Fills {@code path} with the names of a chain of member accesses from an identifier; false when it is not one. */
    private static boolean chain(CelExpr expr, List<String> path, boolean[] testOnly) {
        switch (expr.getKind()) {
            case IDENT -> {
                path.add(expr.ident().name());
                return true;
            }
            case SELECT -> {
                if (!chain(expr.select().operand(), path, testOnly)) {
                    return false;
                }
                path.add(expr.select().field());
                testOnly[0] = expr.select().testOnly();
                return true;
            }
            case CALL -> {
                if (!isIndexByConstant(expr) || !chain(expr.call().args().get(0), path, testOnly)) {
                    return false;
                }
                path.add(expr.call().args().get(1).constant().stringValue());
                return true;
            }
            default -> {
                return false;
            }
        }
    }
}
