package io.dagctl.coordinator.api;

import io.dagctl.coordinator.app.CoordinatorSettings;
import io.dagctl.coordinator.auth.UiSessions;
import io.dagctl.coordinator.view.RunViews;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The web UI: a sign-in page, one page that draws everything from the JSON API, and its scripts and styles, all from
 * this jar (nothing from a CDN). Which paths need a session is {@link AuthFilter}'s job.
 */
@Path("/")
public class UiResource {

    private static final Pattern ASSET = Pattern.compile("[a-z0-9-]{1,40}\\.(js|css|svg)");
    private static final Map<String, String> TYPES =
            Map.of("js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8", "svg", "image/svg+xml");

    private final UiSessions sessions;
    private final boolean secureCookie;
    private final Map<String, byte[]> assets = new ConcurrentHashMap<>();

    private final String jaegerUrl;

    public UiResource(
            UiSessions sessions,
            CoordinatorSettings settings,
            @ConfigProperty(name = "dagctl.jaeger-url") Optional<String> jaegerUrl) {
        this.sessions = sessions;
        this.secureCookie = settings.auth().secureCookie();
        this.jaegerUrl = jaegerUrl
                .filter(u -> u.startsWith("http://") || u.startsWith("https://"))
                .orElse("");
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response index(@Context HttpHeaders headers) {
        RunViews.warmUpInBackground();
        String cookie = headers.getCookies().get(UiSessions.COOKIE).getValue();
        String csrf = sessions.csrfToken(cookie, Instant.now()).orElseThrow();
        return page(
                text("index.html").replace("{{csrf}}", csrf).replace("{{jaeger}}", escape(jaegerUrl)),
                Response.Status.OK);
    }

    @GET
    @Path("login")
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response loginPage() {
        RunViews.warmUpInBackground();
        return page(loginHtml(""), Response.Status.OK);
    }

    @POST
    @Path("login")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    @Operation(hidden = true)
    public Response login(
            @FormParam("token") String token,
            @HeaderParam("Sec-Fetch-Site") String fetchSite,
            @HeaderParam("X-Forwarded-Proto") String forwardedProto,
            @Context UriInfo uri) {
        // browsers say where a form came from; a sign-in form posted from another site is refused (login CSRF)
        if ("cross-site".equals(fetchSite) || "same-site".equals(fetchSite)) {
            return page(loginHtml("Sign-in refused: the form was sent from another site."), Response.Status.FORBIDDEN);
        }
        Optional<String> session;
        try {
            session = sessions.signIn(token, Instant.now());
        } catch (IllegalStateException e) {
            return page(loginHtml("Cannot sign in now: " + e.getMessage()), Response.Status.SERVICE_UNAVAILABLE);
        }
        boolean secure = secureCookie
                || "https".equalsIgnoreCase(forwardedProto)
                || "https".equalsIgnoreCase(uri.getRequestUri().getScheme());
        return session.map(cookie -> Response.seeOther(URI.create("/"))
                        .cookie(sessionCookie(cookie, (int) sessions.lifetime().toSeconds(), secure))
                        .build())
                .orElseGet(() -> page(
                        loginHtml(
                                token == null || token.isBlank()
                                        ? "Enter an API token."
                                        : "That token is not accepted by this cluster."),
                        Response.Status.UNAUTHORIZED));
    }

    @POST
    @Path("logout")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Operation(hidden = true)
    public Response logout(@FormParam("csrf") String csrf, @Context HttpHeaders headers) {
        jakarta.ws.rs.core.Cookie cookie = headers.getCookies().get(UiSessions.COOKIE);
        Instant now = Instant.now();
        // a live session signs out only from its own page; an expired one is just cleared
        if (cookie != null
                && sessions.isValid(cookie.getValue(), now)
                && !sessions.csrfMatches(cookie.getValue(), csrf, now)) {
            return Problems.of(Response.Status.FORBIDDEN, "CSRF check failed", "sign out from the page's own button");
        }
        return Response.seeOther(URI.create("/login"))
                .cookie(sessionCookie("", 0, secureCookie))
                .build();
    }

    @GET
    @Path("ui/{file}")
    @Operation(hidden = true)
    public Response asset(@PathParam("file") String file) {
        if (!ASSET.matcher(file).matches() || UiResource.class.getResource("/dagctl-ui/" + file) == null) {
            return Response.status(Response.Status.NOT_FOUND).build();
        }
        String type = TYPES.get(file.substring(file.lastIndexOf('.') + 1));
        CacheControl cache = new CacheControl();
        cache.setNoCache(true);
        return Response.ok(assets.computeIfAbsent(file, this::bytes), type)
                .cacheControl(cache)
                .build();
    }

    private static NewCookie sessionCookie(String value, int maxAge, boolean secure) {
        return new NewCookie.Builder(UiSessions.COOKIE)
                .value(value)
                .path("/")
                .maxAge(maxAge)
                .httpOnly(true)
                .secure(secure)
                .sameSite(NewCookie.SameSite.STRICT)
                .build();
    }

    private String loginHtml(String message) {
        return text("login.html").replace("{{message}}", escape(message));
    }

    private static Response page(String html, Response.Status status) {
        CacheControl noStore = new CacheControl();
        noStore.setNoStore(true);
        return Response.status(status)
                .entity(html)
                .type(MediaType.TEXT_HTML_TYPE.withCharset("utf-8"))
                .cacheControl(noStore)
                .build();
    }

    static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }

    private String text(String file) {
        return new String(assets.computeIfAbsent(file, this::bytes), StandardCharsets.UTF_8);
    }

    private InputStream resource(String file) {
        return UiResource.class.getResourceAsStream("/dagctl-ui/" + file);
    }

    private byte[] bytes(String file) {
        try (InputStream in = resource(file)) {
            if (in == null) {
                throw new IllegalStateException("the UI file " + file + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
