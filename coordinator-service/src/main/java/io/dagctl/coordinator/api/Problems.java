package io.dagctl.coordinator.api;

import io.dagctl.core.event.Events;
import io.dagctl.core.parse.ParamProblem;
import io.dagctl.core.parse.Problem;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** RFC 9457 problem details ({@code application/problem+json}). */
final class Problems {

    static final String MEDIA_TYPE = "application/problem+json";

    private Problems() {}

    /** 422: JAX-RS 3.1's {@code Response.Status} has no constant for it. */
    static final int UNPROCESSABLE_CONTENT = 422;

    static Response of(Response.Status status, String title, String detail) {
        return of(status.getStatusCode(), title, detail);
    }

    static Response of(int status, String title, String detail) {
        return Response.status(status)
                .type(MEDIA_TYPE)
                .entity(Events.toJsonText(body(status, title, detail)))
                .build();
    }

    static Response invalidDag(List<Problem> problems) {
        Map<String, Object> body = body(
                Response.Status.BAD_REQUEST.getStatusCode(),
                "Invalid DAG",
                problems.size() + " problem(s) in the submitted DAG; nothing was started");
        body.put("errors", problems);
        return Response.status(Response.Status.BAD_REQUEST)
                .type(MEDIA_TYPE)
                .entity(Events.toJsonText(body))
                .build();
    }

    static Response invalidParams(List<ParamProblem> problems) {
        Map<String, Object> body = body(
                Response.Status.BAD_REQUEST.getStatusCode(),
                "Invalid run parameter",
                problems.stream().map(ParamProblem::format).collect(Collectors.joining("; "))
                        + "; nothing was started");
        body.put("errors", problems);
        return Response.status(Response.Status.BAD_REQUEST)
                .type(MEDIA_TYPE)
                .entity(Events.toJsonText(body))
                .build();
    }

    private static Map<String, Object> body(int status, String title, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status);
        body.put("detail", detail);
        return body;
    }
}
