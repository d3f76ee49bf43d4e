package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorLifecycle;
import io.dagctl.coordinator.query.OwnerForwarder;
import io.dagctl.core.event.Events;
import io.dagctl.core.event.MalformedEventException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Listings gathered from every coordinator instance: this one lists what it owns, and asks each other instance once
 * for what that one owns ({@code scope=local}); a listing is answered whole or not at all.
 */
final class PeerListings {

    private PeerListings() {}

    /** A problem to answer for bad paging or a coordinator that cannot list yet, or null. */
    static Response refusal(CoordinatorLifecycle lifecycle, int limit, int offset, int maxLimit) {
        if (limit < 1 || limit > maxLimit || offset < 0) {
            return Problems.of(
                    Response.Status.BAD_REQUEST,
                    "Invalid paging",
                    "limit must be 1 to " + maxLimit + " and offset 0 or more");
        }
        if (lifecycle.engine().listing() == null || !lifecycle.engine().isRunning()) {
            return OwnerAnswers.unavailable(
                    "coordinator is " + lifecycle.engine().state());
        }
        return null;
    }

    /**
     * What every other instance lists of its own.
     *
     * @param what what is listed, for messages ("runs", "DAGs")
     * @throws WebApplicationException 502 when an instance does not answer, or answers something unreadable
     */
    static <P, T> List<T> fromOtherInstances(
            CoordinatorLifecycle lifecycle,
            OwnerForwarder forwarder,
            String pathAndQuery,
            String authorization,
            String what,
            Class<P> pageType,
            Function<P, List<T>> items) {
        List<T> all = new ArrayList<>();
        for (String peer : lifecycle.engine().listing().otherInstances()) {
            OwnerForwarder.Answer answer = forwarder.get(peer, pathAndQuery, authorization);
            if (answer.status() != 200) {
                throw new WebApplicationException(Problems.of(
                        Response.Status.BAD_GATEWAY,
                        "Listing incomplete",
                        "coordinator instance " + peer + " did not list its " + what + ": HTTP " + answer.status()));
            }
            try {
                all.addAll(items.apply(Events.fromJson(answer.body().getBytes(StandardCharsets.UTF_8), pageType)));
            } catch (MalformedEventException e) {
                throw new WebApplicationException(Problems.of(
                        Response.Status.BAD_GATEWAY,
                        "Listing incomplete",
                        "a coordinator instance answered a listing that cannot be read: " + e.getMessage()));
            }
        }
        return all;
    }
}
