# dagctl CLI, JVM image: `docker run --rm -e DAGCTL_SERVER=http://coordinator:8080 -e DAGCTL_TOKEN=... dagctl/cli runs`.
# Build from the repository root: docker build -f docker/cli.Dockerfile -t dagctl/cli:0.1.0 .
ARG BUILDER_IMAGE=maven:3.9-eclipse-temurin-17
ARG RUNTIME_IMAGE=eclipse-temurin:17-jre

FROM ${BUILDER_IMAGE} AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -ntp -q -Dmaven.test.skip=true -pl cli -am package

FROM ${RUNTIME_IMAGE}
RUN groupadd --gid 10001 dagctl && useradd --uid 10001 --gid dagctl --home-dir /app --no-create-home dagctl
WORKDIR /app
COPY --from=build --chown=dagctl:dagctl /src/cli/target/quarkus-app/ /app/
# numeric, so that Kubernetes can verify runAsNonRoot
USER 10001:10001
# a one-shot command, not a service: no port and no health check to run
HEALTHCHECK NONE
ENTRYPOINT ["java", "-XX:TieredStopAtLevel=1", "-jar", "/app/quarkus-run.jar"]
