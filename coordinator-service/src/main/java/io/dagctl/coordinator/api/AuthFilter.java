package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorSettings;
import io.dagctl.coordinator.app.EngineConfigs;
import io.dagctl.coordinator.auth.ApiTokens;
import io.dagctl.coordinator.auth.SessionSecret;
import io.dagctl.coordinator.auth.UiSessions;
import io.dagctl.core.event.Topics;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Who may call what. {@code /api} needs {@code Authorization: Bearer <token>} (submitting a DAG runs commands on the
 * workers), or the web UI's session cookie, with its CSRF token on anything that changes state. The UI's pages need
 * the session, except the sign-in page. Health, metrics and OpenAPI ({@code /q}) stay open. Created at start-up, so a
 * generated token exists before the service reports ready.
 */
@ApplicationScoped
@Startup
public class AuthFilter {

    /** How an instance forwards a UI caller's session to the run's owner, which checks it with the same tokens. */
    static final String SESSION_SCHEME = "DagctlSession ";

    static final String CSRF_HEADER = "X-CSRF-Token";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
    /** What the sign-in page needs before there is a session. */
    private static final Set<String> OPEN_UI_PATHS = Set.of("/login", "/logout", "/ui/style.css", "/ui/favicon.svg");

    private final ApiTokens tokens;
    private final UiSessions sessions;

    public AuthFilter(CoordinatorSettings settings) {
        CoordinatorSettings.Auth auth = settings.auth();
        Path tokenFile = Path.of(auth.tokenFile().orElse(settings.coordinator().stateDir() + "/api-token"));
        this.tokens = ApiTokens.from(auth.tokens().orElse(List.of()), tokenFile);
        SessionSecret secret = new SessionSecret(
                EngineConfigs.clientProperties(settings),
                new Topics(settings.topics().prefix()).uiSessions());
        this.sessions = new UiSessions(tokens, secret, auth.sessionLifetime());
    }

    @Produces
    @Singleton
    UiSessions sessions() {
        return sessions;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/q/") || path.equals("/q")) {
            return Optional.empty();
        }
        if (path.startsWith("/api/")) {
            return authenticateApi(request);
        }
        if (OPEN_UI_PATHS.contains(path) || isValidSession(sessionCookie(request))) {
            return Optional.empty();
        }
        // a page asked for without a session goes to the sign-in page; anything else is refused
        boolean page = "GET".equals(request.getMethod())
                && (path.equals("/") || !path.startsWith("/ui/"))
                && accepts(request, "text/html");
        return Optional.of(
                page
                        ? Response.seeOther(URI.create("/login")).build()
                        : Problems.of(Response.Status.UNAUTHORIZED, "Unauthorized", "sign in at /login first"));
    }

    private Optional<Response> authenticateApi(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (tokens.accepts(Optional.of(header.substring(7).trim()))) {
                return Optional.empty();
            }
            return refused("the bearer token is not valid");
        }
        if (header != null && header.startsWith(SESSION_SCHEME)) {
            // forwarded by another instance for a signed-in browser: only reads are forwarded
            String cookie = header.substring(SESSION_SCHEME.length()).trim();
            if (SAFE_METHODS.contains(request.getMethod()) && isValidSession(cookie)) {
                return Optional.empty();
            }
            return refused("the forwarded session is not valid");
        }
        String cookie = sessionCookie(request);
        if (cookie != null && isValidSession(cookie)) {
            if (!SAFE_METHODS.contains(request.getMethod())
                    && !sessions.csrfMatches(cookie, request.getHeaderString(CSRF_HEADER), Instant.now())) {
                return Optional.of(Problems.of(
                        Response.Status.FORBIDDEN,
                        "CSRF check failed",
                        "a request that changes state needs the page's " + CSRF_HEADER + " header"));
            }
            // what reads at another instance forward, so that the owner can check the same session
            request.getHeaders().putSingle(HttpHeaders.AUTHORIZATION, SESSION_SCHEME + cookie);
            return Optional.empty();
        }
        return refused(
                cookie == null
                        ? "this API needs an 'Authorization: Bearer <token>' header"
                        : "the session has expired or was signed with a token no longer accepted; sign in again");
    }

    private static Optional<Response> refused(String detail) {
        return Optional.of(Response.fromResponse(Problems.of(Response.Status.UNAUTHORIZED, "Unauthorized", detail))
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"dagctl\"")
                .build());
    }

    private boolean isValidSession(String cookie) {
        return cookie != null && sessions.isValid(cookie, Instant.now());
    }

    static String sessionCookie(ContainerRequestContext request) {
        Cookie cookie = request.getCookies().get(UiSessions.COOKIE);
        return cookie == null ? null : cookie.getValue();
    }

    private static boolean accepts(ContainerRequestContext request, String type) {
        String accept = request.getHeaderString(HttpHeaders.ACCEPT);
        return accept == null || accept.contains(type) || accept.contains("*/*");
    }
}
