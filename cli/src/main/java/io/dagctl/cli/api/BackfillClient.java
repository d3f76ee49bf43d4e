package io.dagctl.cli.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.dagctl.cli.ExitCodes;
import io.dagctl.core.model.Backfill;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A stored DAG's backfills through the coordinator's REST API: start, list, follow, cancel. */
public final class BackfillClient {

    private final ApiTransport transport;

    public BackfillClient(CoordinatorClient api) {
        this.transport = api.transport();
    }

    /** A backfill started (or found under the idempotency key: {@code existing}), or the problems of its parameters. */
    public record Backfilled(Backfill backfill, boolean existing, List<String> problems) {}

    public Backfilled backfill(
            String name,
            String from,
            String to,
            Integer maxParallel,
            boolean rerun,
            Map<String, String> params,
            String idempotencyKey)
            throws ApiException {
        String query = ApiTransport.paramQuery(params);
        StringBuilder path = new StringBuilder("/api/v1/dags/")
                .append(ApiTransport.encode(name))
                .append("/backfill")
                .append(query.isEmpty() ? "?" : query + "&")
                .append("from=")
                .append(ApiTransport.encode(from))
                .append("&to=")
                .append(ApiTransport.encode(to))
                .append("&rerun=")
                .append(rerun);
        if (maxParallel != null) {
            path.append("&max_parallel=").append(maxParallel);
        }
        HttpRequest.Builder request = transport.request(path.toString()).POST(HttpRequest.BodyPublishers.noBody());
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> response = transport.send(request.build());
        if (response.statusCode() == 200 || response.statusCode() == 202) {
            JsonNode body = ApiTransport.json(response.body());
            if (body.has("id")) {
                return new Backfilled(
                        ApiTransport.parse(response.body(), Backfill.class), response.statusCode() == 200, List.of());
            }
            throw new ApiException(
                    ExitCodes.UNAVAILABLE,
                    "backfilling DAG '" + name + "': accepted, but its owner did not start it in time; check with"
                            + " 'dagctl backfills " + name + "'");
        }
        JsonNode body = ApiTransport.json(response.body());
        if (response.statusCode() == 400 && body.has("errors")) {
            return new Backfilled(null, false, ApiTransport.problems(body));
        }
        throw transport.failure(response, "backfilling DAG '" + name + "'");
    }

    /** The DAG's backfills, newest first. */
    public List<Backfill> backfills(String name) throws ApiException {
        HttpResponse<String> response = transport.send(transport
                .request("/api/v1/dags/" + ApiTransport.encode(name) + "/backfills")
                .GET()
                .build());
        if (response.statusCode() != 200) {
            throw transport.failure(response, "listing the backfills of DAG '" + name + "'");
        }
        List<Backfill> backfills = new ArrayList<>();
        for (JsonNode node : ApiTransport.json(response.body()).path("backfills")) {
            backfills.add(ApiTransport.parse(node.toString(), Backfill.class));
        }
        return backfills;
    }

    public Backfill backfillProgress(String name, int id) throws ApiException {
        HttpResponse<String> response = transport.send(transport
                .request("/api/v1/dags/" + ApiTransport.encode(name) + "/backfills/" + id)
                .GET()
                .build());
        if (response.statusCode() == 200) {
            return ApiTransport.parse(response.body(), Backfill.class);
        }
        throw transport.failure(response, "reading backfill " + id + " of DAG '" + name + "'");
    }

    public Backfill cancelBackfill(String name, int id) throws ApiException {
        HttpResponse<String> response = transport.send(transport
                .request("/api/v1/dags/" + ApiTransport.encode(name) + "/backfills/" + id + "/cancel")
                .POST(HttpRequest.BodyPublishers.noBody())
                .build());
        if (response.statusCode() == 200 && ApiTransport.json(response.body()).has("id")) {
            return ApiTransport.parse(response.body(), Backfill.class);
        }
        if (response.statusCode() == 200 || response.statusCode() == 202) {
            return backfillProgress(name, id);
        }
        throw transport.failure(response, "cancelling backfill " + id + " of DAG '" + name + "'");
    }
}
