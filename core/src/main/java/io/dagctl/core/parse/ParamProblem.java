package io.dagctl.core.parse;

/** What is wrong with one parameter a run was given (or not given). */
public record ParamProblem(String param, String message) {

    public String format() {
        return "parameter '" + param + "': " + message;
    }
}
