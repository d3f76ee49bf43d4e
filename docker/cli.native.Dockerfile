# dagctl CLI as a GraalVM native executable (Mandrel builder). Needs an x86_64 Docker engine; not built on the
# project's CI machines (no GraalVM there). From the repository root:
#   docker build -f docker/cli.native.Dockerfile -t dagctl/cli:0.1.0-native .
ARG BUILDER_IMAGE=quay.io/quarkus/ubi9-quarkus-mandrel-builder-image:jdk-21
ARG RUNTIME_IMAGE=quay.io/quarkus/quarkus-micro-image:2.0

FROM ${BUILDER_IMAGE} AS build
USER root
WORKDIR /src
COPY --chown=quarkus:quarkus . .
USER quarkus
RUN ./mvnw -B -ntp -q -Dmaven.test.skip=true -Pnative -pl cli -am package

FROM ${RUNTIME_IMAGE}
WORKDIR /app
COPY --from=build --chown=1001:root /src/cli/target/*-runner /app/dagctl
USER 1001
HEALTHCHECK NONE
ENTRYPOINT ["/app/dagctl"]
