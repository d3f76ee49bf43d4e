package io.dagctl.core.parse;

/**
 * One thing wrong with a DAG document, with where it is.
 *
 * @param line 1-based, 0 when unknown
 * @param column 1-based, 0 when unknown
 * @param task the task concerned, or null for document-level problems
 * @param field the field concerned (e.g. {@code dependencies}), or null
 */
public record Problem(String file, int line, int column, String task, String field, String message) {

    /** {@code file:line:column: task 'x', field 'y': message}, as compilers print it. */
    public String format() {
        StringBuilder out = new StringBuilder(file);
        if (line > 0) {
            out.append(':').append(line);
            if (column > 0) {
                out.append(':').append(column);
            }
        }
        out.append(": ");
        if (task != null) {
            out.append("task '").append(task).append("'");
            out.append(field != null ? ", field '" + field + "': " : ": ");
        } else if (field != null) {
            out.append("field '").append(field).append("': ");
        }
        return out.append(message).toString();
    }
}
