package io.dagctl.coordinator.api;

import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The OpenAPI description at /q/openapi (Swagger UI at /q/swagger-ui): every /api call needs a bearer token. */
@OpenAPIDefinition(info = @Info(title = "dagctl API", version = "1"), security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(
        securitySchemeName = "bearer",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        description = "a token from dagctl.auth.tokens, or the one generated into the token file")
public class ApiDefinition extends Application {}
