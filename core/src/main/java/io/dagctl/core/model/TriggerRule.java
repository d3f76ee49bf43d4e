package io.dagctl.core.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * When a task runs, given how its upstream tasks ended. Each rule decides as soon as the states known so far settle
 * it, and never changes its decision when more upstream tasks end. An upstream task that ended FAILED, TIMED_OUT,
 * UPSTREAM_FAILED or CANCELLED counts as failed; a task without upstream tasks always runs. The README's table of
 * trigger rules is this class in words.
 */
public enum TriggerRule {
    /** Runs when every upstream succeeded; UPSTREAM_FAILED at the first failure; SKIPPED if one was skipped. */
    ALL_SUCCESS,
    /** Runs when every upstream has ended, however. */
    ALL_DONE,
    /** Runs when every upstream failed; SKIPPED at the first that succeeded or was skipped. */
    ALL_FAILED,
    /** Runs at the first upstream success; if none succeeds: UPSTREAM_FAILED after a failure, else SKIPPED. */
    ONE_SUCCESS,
    /** Runs at the first upstream failure; SKIPPED if all ended without one. */
    ONE_FAILED,
    /** Runs when every upstream succeeded or was skipped; UPSTREAM_FAILED at the first failure. */
    NONE_FAILED,
    /** Like none_failed, and at least one upstream succeeded; SKIPPED when all were skipped. */
    NONE_FAILED_MIN_ONE_SUCCESS,
    /** Runs at once, without waiting for its upstream tasks. */
    ALWAYS;

    /** What a rule makes of the upstream states known so far. */
    public enum Decision {
        /** Not settled yet: more upstream tasks must end. */
        WAIT,
        RUN,
        SKIP,
        UPSTREAM_FAILED
    }

    /**
     * How a task's upstream tasks have ended so far.
     *
     * @param total how many upstream tasks it has
     */
    public record Upstream(int total, int succeeded, int failed, int skipped) {
        int done() {
            return succeeded + failed + skipped;
        }
    }

    public Decision decide(Upstream up) {
        if (up.total() == 0) {
            return Decision.RUN;
        }
        boolean allDone = up.done() >= up.total();
        return switch (this) {
            case ALL_SUCCESS -> {
                if (up.failed() > 0) {
                    yield Decision.UPSTREAM_FAILED;
                }
                if (up.succeeded() >= up.total()) {
                    yield Decision.RUN;
                }
                yield allDone ? Decision.SKIP : Decision.WAIT;
            }
            case ALL_DONE -> allDone ? Decision.RUN : Decision.WAIT;
            case ALL_FAILED -> {
                if (up.succeeded() > 0 || up.skipped() > 0) {
                    yield Decision.SKIP;
                }
                yield up.failed() >= up.total() ? Decision.RUN : Decision.WAIT;
            }
            case ONE_SUCCESS -> {
                if (up.succeeded() > 0) {
                    yield Decision.RUN;
                }
                if (!allDone) {
                    yield Decision.WAIT;
                }
                yield up.failed() > 0 ? Decision.UPSTREAM_FAILED : Decision.SKIP;
            }
            case ONE_FAILED -> {
                if (up.failed() > 0) {
                    yield Decision.RUN;
                }
                yield allDone ? Decision.SKIP : Decision.WAIT;
            }
            case NONE_FAILED -> {
                if (up.failed() > 0) {
                    yield Decision.UPSTREAM_FAILED;
                }
                yield allDone ? Decision.RUN : Decision.WAIT;
            }
            case NONE_FAILED_MIN_ONE_SUCCESS -> {
                if (up.failed() > 0) {
                    yield Decision.UPSTREAM_FAILED;
                }
                if (!allDone) {
                    yield Decision.WAIT;
                }
                yield up.succeeded() > 0 ? Decision.RUN : Decision.SKIP;
            }
            case ALWAYS -> Decision.RUN;
        };
    }

    /** How an upstream task's end counts for the rules; null for a state that is not an end. */
    public static Counted count(TaskStatus status) {
        return switch (status) {
            case SUCCESS -> Counted.SUCCEEDED;
            case FAILED, TIMED_OUT, UPSTREAM_FAILED, CANCELLED -> Counted.FAILED;
            case SKIPPED -> Counted.SKIPPED;
            default -> null;
        };
    }

    /** The three kinds of end the rules tell apart. */
    public enum Counted {
        SUCCEEDED,
        FAILED,
        SKIPPED
    }

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TriggerRule> fromYamlName(String value) {
        return Arrays.stream(values()).filter(t -> t.yamlName().equals(value)).findFirst();
    }

    public static List<String> yamlNames() {
        return Arrays.stream(values()).map(TriggerRule::yamlName).toList();
    }
}
