package io.dagctl.coordinator.api;

import io.dagctl.coordinator.query.OwnerForwarder;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;

/** What the owner of a run or a stored DAG answers when it is asked once, as a value or as the problem to send on. */
final class OwnerAnswers {

    private OwnerAnswers() {}

    /**
     * @param what what is asked for, for messages ("run 'x'", "DAG 'y'")
     * @throws WebApplicationException the owner's own 404 or 503, or 502 when it cannot be asked or answers nonsense
     */
    static <T> T ask(
            OwnerForwarder forwarder,
            String hostPort,
            String pathAndQuery,
            String authorization,
            Class<T> type,
            String what) {
        OwnerForwarder.Answer answer = forwarder.get(hostPort, pathAndQuery, authorization);
        if (answer.status() == 200) {
            try {
                return Events.fromJson(answer.body().getBytes(StandardCharsets.UTF_8), type);
            } catch (MalformedEventException e) {
                throw new WebApplicationException(Problems.of(
                        Response.Status.BAD_GATEWAY,
                        "Bad answer from owner",
                        hostPort + " answered something that is not what " + what + " should be"));
            }
        }
        if (answer.status() == 404 || answer.status() == 503) {
            throw new WebApplicationException(Response.status(answer.status())
                    .type(Problems.MEDIA_TYPE)
                    .entity(answer.body())
                    .build());
        }
        throw new WebApplicationException(Problems.of(
                Response.Status.BAD_GATEWAY,
                "Owner unreachable",
                "asking the owner of " + what + " at " + hostPort + " failed: HTTP " + answer.status() + " "
                        + answer.body()));
    }

    /** 503 with {@code Retry-After}: no instance can answer now (starting, rebalancing, ownership moving). */
    static Response unavailable(String reason) {
        return Response.fromResponse(Problems.of(Response.Status.SERVICE_UNAVAILABLE, "Coordinator not ready", reason))
                .header("Retry-After", "1")
                .build();
    }
}
