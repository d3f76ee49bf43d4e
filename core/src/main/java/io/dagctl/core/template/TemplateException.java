package io.dagctl.core.template;

/** A template that cannot be parsed: where (0-based offset in its text) and why. */
public final class TemplateException extends Exception {

    private final int offset;

    public TemplateException(int offset, String message) {
        super(message);
        this.offset = offset;
    }

    public int offset() {
        return offset;
    }
}
