package io.dagctl.core.parse;

import java.util.List;
import java.util.stream.Collectors;

/** A DAG document that cannot run; carries every problem found, not just the first. */
public class DagValidationException extends Exception {

    private final List<Problem> problems;

    public DagValidationException(List<Problem> problems) {
        super(problems.size() + " problem(s):\n"
                + problems.stream().map(Problem::format).collect(Collectors.joining("\n")));
        this.problems = List.copyOf(problems);
    }

    public List<Problem> problems() {
        return problems;
    }
}
