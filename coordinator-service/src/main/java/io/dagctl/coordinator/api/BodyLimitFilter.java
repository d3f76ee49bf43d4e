package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorSettings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/** Refuses a request body over {@code dagctl.api.max-body-size} before reading it, with a 413 that says so. */
@ApplicationScoped
public class BodyLimitFilter {

    private final long maxBytes;

    public BodyLimitFilter(CoordinatorSettings settings) {
        this.maxBytes = settings.api().maxBodySize().asLongValue();
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> limit(ContainerRequestContext request) {
        String length = request.getHeaderString("Content-Length");
        if (length == null) {
            return Optional.empty();
        }
        try {
            long bytes = Long.parseLong(length.trim());
            if (bytes > maxBytes) {
                return Optional.of(Problems.of(
                        Response.Status.REQUEST_ENTITY_TOO_LARGE,
                        "Request too large",
                        "the body has " + bytes + " bytes; the limit is " + maxBytes + " (dagctl.api.max-body-size)"));
            }
        } catch (NumberFormatException e) {
            return Optional.of(Problems.of(Response.Status.BAD_REQUEST, "Invalid Content-Length", "'" + length + "'"));
        }
        return Optional.empty();
    }
}
