package io.dagctl.deploy;

import static io.dagctl.deploy.Manifests.get;
import static io.dagctl.deploy.Manifests.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/** docker/compose.yaml parses and agrees with the services' own configuration. */
class ComposeTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(String path) throws Exception {
        return (Map<String, Object>)
                new Yaml(new LoaderOptions()).load(Files.readString(Repo.root().resolve(path)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> services() throws Exception {
        return (Map<String, Object>) load("docker/compose.yaml").get("services");
    }

    @Test
    void hasTheWholeLocalCluster() throws Exception {
        Map<String, Object> services = services();
        assertEquals(
                List.of("kafka", "coordinator-1", "coordinator-2", "worker", "jaeger", "prometheus", "grafana"),
                List.copyOf(services.keySet()));
        assertEquals(3, get(services, "worker.deploy.replicas"));
        assertEquals("true", text(services, "jaeger.environment.COLLECTOR_OTLP_ENABLED"));
    }

    @Test
    void portsAndEnvironmentMatchTheServices() throws Exception {
        Map<String, Object> services = services();
        int coordinatorPort = ChartTest.servicePort("coordinator-service");
        int workerPort = ChartTest.servicePort("worker-service");
        String advertised = text(services, "kafka.environment.KAFKA_ADVERTISED_LISTENERS");
        for (String coordinator : List.of("coordinator-1", "coordinator-2")) {
            Map<?, ?> env = (Map<?, ?>) get(services, coordinator + ".environment");
            assertEquals(String.valueOf(coordinatorPort), env.get("QUARKUS_HTTP_PORT"));
            assertEquals(coordinator + ":" + coordinatorPort, env.get("DAGCTL_COORDINATOR_ADVERTISED_ADDRESS"));
            assertEquals(coordinator, text(services, coordinator + ".hostname"));
            assertTrue(advertised.endsWith("//" + env.get("DAGCTL_KAFKA_BOOTSTRAP_SERVERS")), advertised);
            assertEquals("http://jaeger:4318", env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
            assertTrue(text(services, coordinator + ".ports.0").endsWith(":" + coordinatorPort));
        }
        assertEquals(String.valueOf(workerPort), text(services, "worker.environment.QUARKUS_HTTP_PORT"));
        assertEquals(
                "dockerfile:docker/coordinator.Dockerfile",
                "dockerfile:" + text(services, "coordinator-1.build.dockerfile"));
        assertEquals("docker/worker.Dockerfile", text(services, "worker.build.dockerfile"));
    }

    @Test
    void everyDagctlVariableIsADocumentedSetting() throws Exception {
        String readme = Files.readString(Repo.root().resolve("README.md"));
        Matcher m = Pattern.compile("\\| `(dagctl\\.[a-z.-]+)`").matcher(readme);
        Set<String> documented = new HashSet<>();
        while (m.find()) {
            documented.add(m.group(1).toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_'));
        }
        Map<String, Object> services = services();
        for (String service : List.of("coordinator-1", "coordinator-2", "worker")) {
            for (Object key : ((Map<?, ?>) get(services, service + ".environment")).keySet()) {
                String name = key.toString();
                if (name.startsWith("DAGCTL_")) {
                    assertTrue(
                            documented.contains(name), service + " sets " + name + ", which no README setting names");
                }
            }
        }
    }

    @Test
    void theDocumentedLocalTokenIsTheOneAccepted() throws Exception {
        String hash = HexFormat.of()
                .formatHex(MessageDigest.getInstance("SHA-256")
                        .digest("dagctl-local-token".getBytes(StandardCharsets.UTF_8)));
        assertEquals("sha256:" + hash, text(services(), "coordinator-1.environment.DAGCTL_AUTH_TOKENS"));
    }

    @Test
    void prometheusScrapesEveryServiceWithTheJobNamesTheAlertsUse() throws Exception {
        Map<String, Object> prometheus = load("docker/prometheus/prometheus.yml");
        int coordinatorPort = ChartTest.servicePort("coordinator-service");
        int workerPort = ChartTest.servicePort("worker-service");
        assertEquals("dagctl-coordinator", text(prometheus, "scrape_configs.0.job_name"));
        assertEquals("/q/metrics", text(prometheus, "scrape_configs.0.metrics_path"));
        assertEquals(
                List.of("coordinator-1:" + coordinatorPort, "coordinator-2:" + coordinatorPort),
                get(prometheus, "scrape_configs.0.static_configs.0.targets"));
        assertEquals("dagctl-worker", text(prometheus, "scrape_configs.1.job_name"));
        assertEquals(List.of("worker"), get(prometheus, "scrape_configs.1.dns_sd_configs.0.names"));
        assertEquals(workerPort, get(prometheus, "scrape_configs.1.dns_sd_configs.0.port"));
        String alerts = Files.readString(Repo.root().resolve("deploy/observability/prometheus/dagctl-alerts.yaml"));
        assertTrue(alerts.contains("job=\"dagctl-coordinator\""));
        assertTrue(text(services(), "prometheus.volumes.1")
                .startsWith("../deploy/observability/prometheus/dagctl-alerts.yaml:"));
    }
}
