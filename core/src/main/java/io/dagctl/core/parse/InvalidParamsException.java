package io.dagctl.core.parse;

import java.util.List;
import java.util.stream.Collectors;

/** A run's parameters do not fit what its DAG declares; every problem is listed. */
public final class InvalidParamsException extends Exception {

    private final transient List<ParamProblem> problems;

    public InvalidParamsException(List<ParamProblem> problems) {
        super(problems.stream().map(ParamProblem::format).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<ParamProblem> problems() {
        return problems;
    }
}
