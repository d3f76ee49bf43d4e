package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorSettings;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.Submissions;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.parse.DagParser;
import io.dagctl.core.parse.DagValidationException;
import io.dagctl.core.parse.InvalidParamsException;
import io.dagctl.core.parse.RunParams;
import io.dagctl.core.report.RunReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns a submit request into a run: checks the request (key, parameters, DAG, sizes), writes the command, waits until
 * the run's owner has applied it, and tells a run it created from one that already had the id — a repeated
 * idempotency key (the same body: 200 with that run; another body: 422) or, for a generated id, a collision (a new id
 * is drawn).
 */
@ApplicationScoped
public class RunSubmitter {

    private static final System.Logger LOG = System.getLogger(RunSubmitter.class.getName());
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private static final int ID_DRAWS = 3;

    private final CommandPublisher publisher;
    private final RunReader reader;
    private final DagParser parser;
    private final Duration visibleWait;

    public RunSubmitter(CommandPublisher publisher, RunReader reader, CoordinatorSettings settings) {
        this.publisher = publisher;
        this.reader = reader;
        this.parser = new DagParser(DagParser.DEFAULT_MAX_CHARS, settings.api().maxTasks());
        this.visibleWait = settings.api().submitVisibleWait();
    }

    Response submit(String body, String idempotencyKey, List<String> paramArgs, String authorization) {
        Response badKey = checkIdempotencyKey(idempotencyKey);
        if (badKey != null) {
            return badKey;
        }
        Map<String, String> given = new LinkedHashMap<>();
        Response badParams = readParams(paramArgs, given);
        if (badParams != null) {
            return badParams;
        }
        DagSpec dag;
        Map<String, String> params;
        try {
            dag = parser.parse(body == null ? "" : body, "request body");
            params = RunParams.resolve(dag, given);
        } catch (DagValidationException e) {
            return Problems.invalidDag(e.problems());
        } catch (InvalidParamsException e) {
            return Problems.invalidParams(e.problems());
        }
        Response tooMany = checkParamsSize(params);
        if (tooMany != null) {
            return tooMany;
        }
        try {
            publisher.ensureQueues(dag);
        } catch (CommandPublisher.CommandNotAcceptedException e) {
            return Problems.of(Response.Status.SERVICE_UNAVAILABLE, "Command not accepted", e.getMessage());
        }
        Instant now = Instant.now();
        String submissionId = Submissions.newId();
        for (int draw = 1; draw <= ID_DRAWS; draw++) {
            String runId = idempotencyKey == null ? RunIds.next(now) : RunIds.fromIdempotencyKey(idempotencyKey);
            if (idempotencyKey != null) {
                RunReport existing = readIfExists(runId, authorization);
                if (existing != null) {
                    return sameOrConflict(existing, Submissions.digest(dag, params), idempotencyKey);
                }
            }
            RunSubmitted command = RunSubmitted.of(runId, dag, params, now, idempotencyKey, submissionId);
            byte[] json = Events.toJson(command);
            if (json.length > RecordLimits.MAX_SUBMISSION_BYTES) {
                return Problems.of(
                        Response.Status.REQUEST_ENTITY_TOO_LARGE,
                        "Submission too large",
                        "the DAG and its parameters are " + json.length + " bytes as JSON; the limit is "
                                + RecordLimits.describe(RecordLimits.MAX_SUBMISSION_BYTES));
            }
            try {
                publisher.publish(runId, json);
            } catch (CommandPublisher.CommandNotAcceptedException e) {
                return Problems.of(Response.Status.SERVICE_UNAVAILABLE, "Command not accepted", e.getMessage());
            }
            RunReport applied = awaitReadable(runId, authorization);
            if (applied == null || submissionId.equals(applied.submissionId())) {
                // the run is ours (or not readable yet: the command is durable and will be applied)
                return Response.accepted(Events.toJsonText(
                                accepted(runId, dag.name(), dag.tasks().size(), false)))
                        .location(location(runId))
                        .build();
            }
            if (idempotencyKey != null) {
                // another submission with the same key was applied first
                return sameOrConflict(applied, command.digest(), idempotencyKey);
            }
            LOG.log(Level.WARNING, "run id {0} was taken by another submission; drawing another", runId);
        }
        return Problems.of(
                Response.Status.SERVICE_UNAVAILABLE,
                "No free run id",
                ID_DRAWS + " run ids drawn for this submission were all taken; submit again");
    }

    /** Parses {@code NAME=value} parameters into {@code params}; the problem to answer, or null. */
    /** A 400 for a malformed Idempotency-Key header, or null (none, or a good one). */
    static Response checkIdempotencyKey(String idempotencyKey) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid Idempotency-Key",
                    "the key must be 1 to 255 visible ASCII characters");
        }
        return null;
    }

    static Response readParams(List<String> paramArgs, Map<String, String> params) {
        for (String arg : paramArgs == null ? List.<String>of() : paramArgs) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            if (eq < 0 || !RunParams.NAME.matcher(name).matches() || params.put(name, arg.substring(eq + 1)) != null) {
                return Problems.of(
                        Response.Status.BAD_REQUEST,
                        "Invalid run parameter",
                        "'" + arg + "' is not NAME=value with a unique NAME of letters, digits and '_'"
                                + " (not starting with a digit)");
            }
        }
        return null;
    }

    /** The run's parameters (defaults included) go into every task's environment: they have a limit. */
    static Response checkParamsSize(Map<String, String> params) {
        int bytes = 0;
        for (Map.Entry<String, String> param : params.entrySet()) {
            bytes += param.getKey().getBytes(StandardCharsets.UTF_8).length
                    + 1
                    + param.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (bytes > RecordLimits.MAX_PARAMS_BYTES) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid run parameter",
                    "the parameters have " + bytes + " bytes; the limit is "
                            + RecordLimits.describe(RecordLimits.MAX_PARAMS_BYTES)
                            + " (every task gets them in its environment)");
        }
        return null;
    }

    /** The same DAG and parameters under the same key: that run (200); anything else: 422. */
    static Response sameOrConflict(RunReport existing, String digest, String idempotencyKey) {
        if (existing.submissionDigest() != null && !existing.submissionDigest().equals(digest)) {
            return Problems.of(
                    Problems.UNPROCESSABLE_CONTENT,
                    "Idempotency-Key reused",
                    "the key '" + idempotencyKey + "' already named run " + existing.runId() + " of DAG '"
                            + existing.dag() + "', submitted with another DAG or other parameters; use a new key");
        }
        return Response.ok(Events.toJsonText(accepted(
                        existing.runId(), existing.dag(), existing.tasks().size(), true)))
                .location(location(existing.runId()))
                .build();
    }

    RunReport readIfExists(String runId, String authorization) {
        try {
            return reader.read(runId, authorization, false);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() == 404) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Read-your-writes for clients: the answer comes once the owner has applied the submission, so a GET, an event
     * stream or a cancel sent right after it finds the run. Bounded; null when the run is not readable in time (the
     * command is durable in Kafka either way).
     */
    RunReport awaitReadable(String runId, String authorization) {
        return Waiting.until(visibleWait, () -> reader.read(runId, authorization, false));
    }

    static Map<String, Object> accepted(String runId, String dag, int tasks, boolean existing) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run_id", runId);
        body.put("dag", dag);
        body.put("tasks", tasks);
        body.put("existing", existing);
        body.put("status_url", "/api/v1/runs/" + runId);
        return body;
    }

    static URI location(String runId) {
        return URI.create("/api/v1/runs/" + runId);
    }
}
