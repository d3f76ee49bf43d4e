# dagctl worker, JVM image; tasks run with its bash and python3. Build from the repository root:
#   docker build -f docker/worker.Dockerfile -t dagctl/worker:0.1.0 .
ARG BUILDER_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILDER_IMAGE} AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -q -Dmaven.test.skip=true -pl worker-service -am package

FROM ${RUNTIME_IMAGE}
RUN apt-get update \
    && apt-get install -y --no-install-recommends bash python3 util-linux procps \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --gid 10001 dagctl && useradd --uid 10001 --gid dagctl --home-dir /app --no-create-home dagctl \
    && mkdir -p /app /var/lib/dagctl/work && chown -R dagctl:dagctl /var/lib/dagctl
WORKDIR /app
COPY --from=build --chown=dagctl:dagctl /src/worker-service/target/quarkus-app/ /app/
# numeric, so that Kubernetes can verify runAsNonRoot
USER 10001:10001
ENV DAGCTL_WORKER_WORK_DIR=/var/lib/dagctl/work \
    QUARKUS_HTTP_HOST=0.0.0.0 \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:TieredStopAtLevel=1 -Djdk.lang.Process.launchMechanism=VFORK"
EXPOSE 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /q/health/live HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
# the worker drains on SIGTERM (dagctl.worker.drain-grace, 30 s): give it that long before SIGKILL
STOPSIGNAL SIGTERM
ENTRYPOINT ["java", "-jar", "/app/quarkus-run.jar"]
