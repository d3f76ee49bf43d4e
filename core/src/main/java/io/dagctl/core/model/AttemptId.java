package io.dagctl.core.model;

/**
 * Identifies one attempt of one task of one run: {@code runId/task/attempt}, attempt 1-based.
 * Neither run ids nor task names may contain '/', so the text form parses back unambiguously.
 */
public record AttemptId(String runId, String task, int attempt) {

    public AttemptId {
        if (runId.contains("/") || task.contains("/")) {
            throw new IllegalArgumentException("run id and task name must not contain '/': " + runId + ", " + task);
        }
        if (attempt < 1) {
            throw new IllegalArgumentException("attempt is 1-based, got " + attempt);
        }
    }

    public static AttemptId parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not an attempt id (runId/task/attempt): " + text);
        }
        try {
            return new AttemptId(parts[0], parts[1], Integer.parseInt(parts[2]));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not an attempt id (attempt is not a number): " + text, e);
        }
    }

    @Override
    public String toString() {
        return runId + "/" + task + "/" + attempt;
    }
}
