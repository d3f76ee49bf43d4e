# dagctl worker as a GraalVM native executable (Mandrel builder, as the Quarkus native guide does). Needs an
# x86_64 Docker engine; not built on the project's CI machines (no GraalVM there). From the repository root:
#   docker build -f docker/worker.native.Dockerfile -t dagctl/worker:0.1.0-native .
ARG BUILDER_IMAGE=quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-21
ARG RUNTIME_IMAGE=registry.access.redhat.com/ubi9/ubi-minimal:9.5

FROM ${BUILDER_IMAGE} AS build
USER root
WORKDIR /src
COPY --chown=quarkus:quarkus . .
USER quarkus
RUN ./mvnw -B -ntp -q -Dmaven.test.skip=true -Pnative -pl worker-service -am package

FROM ${RUNTIME_IMAGE}
RUN microdnf install -y bash python3 util-linux procps-ng shadow-utils \
    && microdnf clean all \
    && groupadd --gid 10001 dagctl && useradd --uid 10001 --gid dagctl --home-dir /app --no-create-home dagctl \
    && mkdir -p /app /var/lib/dagctl/work && chown -R dagctl:dagctl /var/lib/dagctl
WORKDIR /app
COPY --from=build --chown=dagctl:dagctl /src/worker-service/target/*-runner /app/dagctl-worker
# numeric, so that Kubernetes can verify runAsNonRoot
USER 10001:10001
ENV DAGCTL_WORKER_WORK_DIR=/var/lib/dagctl/work \
    QUARKUS_HTTP_HOST=0.0.0.0
EXPOSE 8081
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
    CMD ["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8081 && printf 'GET /q/health/live HTTP/1.0\\r\\n\\r\\n' >&3 && head -n 1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/app/dagctl-worker"]
