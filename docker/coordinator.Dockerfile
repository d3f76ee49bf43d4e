# dagctl coordinator, JVM image. Build from the repository root:
#   docker build -f docker/coordinator.Dockerfile -t dagctl/coordinator:0.1.0 .
ARG BUILDER_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILDER_IMAGE} AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -q -Dmaven.test.skip=true -pl coordinator-service -am package

FROM ${RUNTIME_IMAGE}
RUN groupadd --gid 10001 dagctl && useradd --uid 10001 --gid dagctl --home-dir /app --no-create-home dagctl \
    && mkdir -p /app /var/lib/dagctl && chown dagctl:dagctl /var/lib/dagctl
WORKDIR /app
COPY --from=build --chown=dagctl:dagctl /src/coordinator-service/target/quarkus-app/ /app/
# numeric, so that Kubernetes can verify runAsNonRoot
USER 10001:10001
ENV DAGCTL_COORDINATOR_STATE_DIR=/var/lib/dagctl/state \
    QUARKUS_HTTP_HOST=0.0.0.0 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8080 && printf 'GET /q/health/live HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["java", "-jar", "/app/quarkus-run.jar"]
