package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorSettings;
import io.dagctl.coordinator.auth.ApiTokens;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Every {@code /api} request needs {@code Authorization: Bearer <token>}: submitting a DAG runs commands on the
 * workers. Health, metrics and OpenAPI stay open. Created at start-up, so a generated token exists before the
 * service reports ready.
 */
@ApplicationScoped
@Startup
public class AuthFilter {

    private final ApiTokens tokens;

    public AuthFilter(CoordinatorSettings settings) {
        CoordinatorSettings.Auth auth = settings.auth();
        Path tokenFile = Path.of(auth.tokenFile().orElse(settings.coordinator().stateDir() + "/api-token"));
        this.tokens = ApiTokens.from(auth.tokens().orElse(List.of()), tokenFile);
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/api/")) {
            return Optional.empty();
        }
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        Optional<String> token = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                ? Optional.of(header.substring(7).trim())
                : Optional.empty();
        if (tokens.accepts(token)) {
            return Optional.empty();
        }
        String detail = header == null
                ? "this API needs an 'Authorization: Bearer <token>' header"
                : "the bearer token is not valid";
        return Optional.of(Response.fromResponse(Problems.of(Response.Status.UNAUTHORIZED, "Unauthorized", detail))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"dagctl\"")
                .build());
    }
}
