package io.dagctl.core.template;

/** An expression that cannot be compiled, or could not be evaluated; the message says what and where. */
public final class ExpressionException extends Exception {

    public ExpressionException(String message) {
        super(message);
    }
}
