package io.dagctl.coordinator.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/**
 * Headers that keep the UI's pages to their own code: a strict Content-Security-Policy (scripts and styles only from
 * this server, no inline script, no framing), no MIME sniffing, no referrer to other sites.
 */
public class SecurityHeaders {

    static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
            + " connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    @ServerResponseFilter
    public void addHeaders(ContainerRequestContext request, ContainerResponseContext response) {
        String path = request.getUriInfo().getPath();
        if (path.startsWith("/q/")) {
            return;
        }
        response.getHeaders().putSingle("Content-Security-Policy", POLICY);
        response.getHeaders().putSingle("X-Content-Type-Options", "nosniff");
        response.getHeaders().putSingle("Referrer-Policy", "same-origin");
        response.getHeaders().putSingle("X-Frame-Options", "DENY");
    }
}
