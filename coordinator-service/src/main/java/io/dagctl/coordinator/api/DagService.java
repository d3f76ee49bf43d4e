package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorSettings;
import io.dagctl.coordinator.engine.DagEntry;
import io.dagctl.coordinator.engine.DagVersionEntry;
import io.dagctl.core.event.DagApplied;
import io.dagctl.core.event.DagCommand;
import io.dagctl.core.event.DagDeleted;
import io.dagctl.core.event.DagPauseSet;
import io.dagctl.core.event.DagTriggered;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.RecordLimits;
import io.dagctl.core.event.RunSubmitted;
import io.dagctl.core.event.Submissions;
import io.dagctl.core.model.DagSpec;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.parse.DagParser;
import io.dagctl.core.parse.DagValidationException;
import io.dagctl.core.parse.InvalidParamsException;
import io.dagctl.core.parse.RunParams;
import io.dagctl.core.report.DagApplyResult;
import io.dagctl.core.report.DagReport;
import io.dagctl.core.report.DagSummary;
import io.dagctl.core.report.RunReport;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Stored DAGs through the API: every change is a command to the DAG's owner, and the answer comes once the owner has
 * applied it (its outcome, kept in the DAG's entry under the request's id), so a read right after sees it.
 */
@ApplicationScoped
public class DagService {

    /** A stored DAG's name is also a key prefix and a URL segment. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

    private final CommandPublisher publisher;
    private final DagReader dags;
    private final RunReader runs;
    private final RunSubmitter submitter;
    private final DagParser parser;
    private final Duration visibleWait;

    public DagService(
            CommandPublisher publisher,
            DagReader dags,
            RunReader runs,
            RunSubmitter submitter,
            CoordinatorSettings settings) {
        this.publisher = publisher;
        this.dags = dags;
        this.runs = runs;
        this.submitter = submitter;
        this.parser = new DagParser(DagParser.DEFAULT_MAX_CHARS, settings.api().maxTasks());
        this.visibleWait = settings.api().submitVisibleWait();
    }

    Response apply(String name, String body, String authorization) {
        Response badName = checkName(name);
        if (badName != null) {
            return badName;
        }
        DagSpec dag;
        try {
            dag = parser.parse(body == null ? "" : body, "request body");
        } catch (DagValidationException e) {
            return Problems.invalidDag(e.problems());
        }
        if (!name.equals(dag.name())) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "DAG name mismatch",
                    "the DAG in the body is named '" + dag.name() + "', but it was sent to /api/v1/dags/" + name);
        }
        int bytes = Events.toJson(dag).length;
        if (bytes > RecordLimits.MAX_STORED_DAG_JSON_BYTES) {
            return Problems.of(
                    Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "DAG too large to store",
                    "the DAG is " + bytes + " bytes as JSON; a stored DAG is at most "
                            + RecordLimits.describe(RecordLimits.MAX_STORED_DAG_JSON_BYTES)
                            + " (submit a larger one with its run: POST /api/v1/runs)");
        }
        try {
            publisher.ensureQueues(dag);
        } catch (CommandPublisher.CommandNotAcceptedException e) {
            return Problems.of(Response.Status.SERVICE_UNAVAILABLE, "Command not accepted", e.getMessage());
        }
        String requestId = Submissions.newId();
        Response refused = publish(DagApplied.of(dag, requestId, Instant.now()));
        if (refused != null) {
            return refused;
        }
        DagEntry.Outcome outcome = awaitOutcome(name, requestId, authorization);
        if (outcome == null) {
            return pending(name);
        }
        DagApplyResult result = new DagApplyResult(name, outcome.version(), outcome.changed());
        return (outcome.changed() && outcome.version() == 1
                        ? Response.created(URI.create("/api/v1/dags/" + name))
                        : Response.ok())
                .entity(Events.toJsonText(result))
                .build();
    }

    Response setPaused(String name, boolean paused, String authorization) {
        OwnedDag owned = live(name, authorization);
        String requestId = Submissions.newId();
        Response refused = publish(DagPauseSet.of(name, paused, requestId, Instant.now()));
        if (refused != null) {
            return refused;
        }
        return answer(name, requestId, authorization, owned);
    }

    Response delete(String name, String authorization) {
        OwnedDag owned = live(name, authorization);
        String requestId = Submissions.newId();
        Response refused = publish(DagDeleted.of(name, requestId, Instant.now()));
        if (refused != null) {
            return refused;
        }
        DagEntry.Outcome outcome = awaitOutcome(name, requestId, authorization);
        if (outcome == null) {
            return pending(name);
        }
        if (outcome.refused() != null) {
            return Problems.of(Response.Status.CONFLICT, "Not applied", outcome.refused());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("deleted", true);
        body.put("versions_kept", owned.entry().version());
        return Response.ok(Events.toJsonText(body)).build();
    }

    Response trigger(String name, List<String> paramArgs, String idempotencyKey, String authorization) {
        Response badKey = RunSubmitter.checkIdempotencyKey(idempotencyKey);
        if (badKey != null) {
            return badKey;
        }
        Map<String, String> given = new LinkedHashMap<>();
        Response badParams = RunSubmitter.readParams(paramArgs, given);
        if (badParams != null) {
            return badParams;
        }
        Instant now = Instant.now();
        String runId = idempotencyKey == null ? RunIds.next(now) : RunIds.fromIdempotencyKey(idempotencyKey);
        if (idempotencyKey != null) {
            // a retried request finds its run whatever happened to the DAG since (paused, deleted, a new version)
            RunReport existing = submitter.readIfExists(runId, authorization);
            if (existing != null) {
                return sameRunOrConflict(existing, name, given, idempotencyKey, authorization);
            }
        }
        OwnedDag owned = live(name, authorization);
        if (owned.entry().paused()) {
            return Problems.of(
                    Response.Status.CONFLICT,
                    "DAG paused",
                    "DAG '" + name + "' is paused; unpause it (dagctl dags unpause " + name + ") to run it");
        }
        DagVersionEntry version = owned.version();
        Map<String, String> params;
        try {
            params = RunParams.resolve(version.dag(), given);
        } catch (InvalidParamsException e) {
            return Problems.invalidParams(e.problems());
        }
        Response tooMany = RunSubmitter.checkParamsSize(params);
        if (tooMany != null) {
            return tooMany;
        }
        String submissionId = Submissions.newId();
        Response refused = publish(DagTriggered.of(
                name,
                version.version(),
                params,
                runId,
                RunSubmitted.TRIGGER_MANUAL,
                idempotencyKey,
                submissionId,
                now));
        if (refused != null) {
            return refused;
        }
        DagEntry.Outcome outcome = awaitOutcome(name, submissionId, authorization);
        if (outcome != null && outcome.refused() != null) {
            return outcome.refused().startsWith(DagEntry.TOO_LARGE)
                    ? Problems.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "Run too large", outcome.refused())
                    : Problems.of(Response.Status.CONFLICT, "Run not started", outcome.refused());
        }
        RunReport applied = submitter.awaitReadable(runId, authorization);
        if (applied != null && idempotencyKey != null && !submissionId.equals(applied.submissionId())) {
            return RunSubmitter.sameOrConflict(applied, Submissions.digest(version.dag(), params), idempotencyKey);
        }
        Map<String, Object> body =
                RunSubmitter.accepted(runId, name, version.dag().tasks().size(), false);
        body.put("dag_version", version.version());
        body.put("queued", applied != null && applied.status() == RunStatus.QUEUED);
        return Response.accepted(Events.toJsonText(body))
                .location(RunSubmitter.location(runId))
                .build();
    }

    /**
     * A trigger repeated under the same idempotency key: the run it made (200) when the parameters are the same as
     * checked against the version that run ran, else 422.
     */
    private Response sameRunOrConflict(
            RunReport existing, String name, Map<String, String> given, String key, String authorization) {
        String digest = null;
        if (name.equals(existing.dag()) && existing.dagVersion() != null) {
            OwnedDag ran = dags.read(name, existing.dagVersion(), authorization, false);
            if (ran.version() != null) {
                try {
                    digest = Submissions.digest(
                            ran.version().dag(), RunParams.resolve(ran.version().dag(), given));
                } catch (InvalidParamsException e) {
                    digest = null; // other parameters than the run had: a conflict
                }
            }
        }
        return RunSubmitter.sameOrConflict(existing, digest == null ? "" : digest, key);
    }

    /** The public report of a stored DAG and one of its versions. */
    DagReport report(OwnedDag owned, String authorization) {
        DagVersionEntry version = owned.version();
        return new DagReport(
                withLastRunStatus(summary(owned), authorization),
                owned.entry().deleted(),
                version.version(),
                version.digest(),
                version.appliedAt(),
                version.dag());
    }

    /**
     * A listing row, made from the DAG's latest version whichever version was asked for, with the status its owner
     * last heard of the last run's end ({@link #withLastRunStatus} reads the run itself).
     */
    DagSummary summary(OwnedDag owned) {
        DagEntry entry = owned.entry();
        DagSpec latest = owned.latest() == null ? null : owned.latest().dag();
        return new DagSummary(
                entry.name(),
                entry.version(),
                entry.paused(),
                entry.createdAt(),
                entry.updatedAt(),
                latest == null ? 0 : latest.tasks().size(),
                latest == null ? List.of() : List.copyOf(latest.params().keySet()),
                entry.lastRunId(),
                entry.lastRunAt(),
                entry.lastRunStatus(),
                latest == null || latest.schedule() == null
                        ? null
                        : latest.schedule().describe(),
                entry.nextTickAt(),
                latest == null ? null : latest.maxActiveRuns(),
                entry.activeRuns(),
                entry.waitingRuns());
    }

    /** The row with its last run's status, read from the run's owner when it can be (else left out). */
    DagSummary withLastRunStatus(DagSummary summary, String authorization) {
        if (summary.lastRunId() == null) {
            return summary;
        }
        RunStatus status;
        try {
            status = runs.read(summary.lastRunId(), authorization, false).status();
        } catch (WebApplicationException e) {
            return summary; // not readable now (moving, or removed)
        }
        return summary.withLastRunStatus(status);
    }

    static Response checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid DAG name",
                    "a stored DAG's name is 1 to 128 letters, digits, '_', '.' or '-', starting with a letter or"
                            + " digit; got '" + name + "'");
        }
        return null;
    }

    /** The DAG when it exists and is not deleted; else a 404 to answer. */
    OwnedDag live(String name, String authorization) {
        OwnedDag owned = dags.readIfExists(name, authorization);
        if (owned == null || owned.entry().deleted() || owned.version() == null) {
            throw new WebApplicationException(DagReader.notFound(name));
        }
        return owned;
    }

    private Response answer(String name, String requestId, String authorization, OwnedDag before) {
        DagEntry.Outcome outcome = awaitOutcome(name, requestId, authorization);
        if (outcome == null) {
            return pending(name);
        }
        if (outcome.refused() != null) {
            return Problems.of(Response.Status.CONFLICT, "Not applied", outcome.refused());
        }
        OwnedDag after = dags.read(name, null, authorization, false);
        return Response.ok(Events.toJsonText(
                        withLastRunStatus(summary(after.version() == null ? before : after), authorization)))
                .build();
    }

    Response publish(DagCommand command) {
        try {
            publisher.publishDag(command.name(), Events.toJson(command));
            return null;
        } catch (CommandPublisher.CommandNotAcceptedException e) {
            return Problems.of(Response.Status.SERVICE_UNAVAILABLE, "Command not accepted", e.getMessage());
        }
    }

    /** The owner's outcome of the request, once it has applied it; null when that takes longer than the wait. */
    DagEntry.Outcome awaitOutcome(String name, String requestId, String authorization) {
        return Waiting.until(
                visibleWait,
                () -> dags.read(name, null, authorization, false)
                        .entry()
                        .outcomes()
                        .get(requestId));
    }

    /** The command is durable in Kafka and will be applied; its owner did not show it within the wait. */
    static Response pending(String name) {
        return Response.accepted(Events.toJsonText(Map.of(
                        "name",
                        name,
                        "status",
                        "accepted; not yet applied by the DAG's owner",
                        "status_url",
                        "/api/v1/dags/" + name)))
                .build();
    }
}
