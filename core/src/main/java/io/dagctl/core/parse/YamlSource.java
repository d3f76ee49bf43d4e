package io.dagctl.core.parse;

import java.io.StringReader;
import java.util.List;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Turns YAML (or JSON, a subset of it) text into a node tree that still knows line and column of every value,
 * under limits that stop hostile documents: alias expansion ("billion laughs"), nesting depth and size.
 */
final class YamlSource {

    static final int MAX_ALIASES = 50;
    static final int MAX_NESTING_DEPTH = 30;

    private final int maxCodePoints;

    YamlSource(int maxCodePoints) {
        this.maxCodePoints = maxCodePoints;
    }

    /** The root node, or empty with a problem added when the text is not well-formed YAML. */
    Optional<Node> compose(String text, String file, List<Problem> problems) {
        if (text.length() > maxCodePoints) {
            problems.add(new Problem(
                    file,
                    0,
                    0,
                    null,
                    null,
                    "the document has " + text.length() + " characters, more than the limit of " + maxCodePoints));
            return Optional.empty();
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(MAX_ALIASES);
        options.setNestingDepthLimit(MAX_NESTING_DEPTH);
        options.setCodePointLimit(maxCodePoints);
        options.setAllowRecursiveKeys(false);
        options.setProcessComments(false);
        DumperOptions dumper = new DumperOptions();
        Yaml yaml = new Yaml(new SafeConstructor(options), new Representer(dumper), dumper, options);
        try {
            return Optional.ofNullable(yaml.compose(new StringReader(text)));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String message = "YAML syntax error: " + e.getProblem()
                    + (e.getContext() != null ? " (" + e.getContext() + ")" : "");
            problems.add(new Problem(
                    file,
                    mark == null ? 0 : mark.getLine() + 1,
                    mark == null ? 0 : mark.getColumn() + 1,
                    null,
                    null,
                    message));
        } catch (YAMLException e) {
            problems.add(new Problem(file, 0, 0, null, null, "YAML rejected: " + e.getMessage()));
        }
        return Optional.empty();
    }
}
