package io.dagctl.deploy;

import static io.dagctl.deploy.Manifests.env;
import static io.dagctl.deploy.Manifests.get;
import static io.dagctl.deploy.Manifests.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The Helm chart rendered and linted by real Helm (helm-java), checked against the services it deploys. */
class ChartTest {

    static Stream<String> valuesFiles() throws Exception {
        try (Stream<Path> files = Files.list(Repo.chart().resolve("ci"))) {
            return files.map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    /** Renders the chart as {@code helm template} does (helm-java leaves hooks out: see the token secret test). */
    static Manifests render(String valuesFile) throws Exception {
        String yaml = new Helm(Repo.chart())
                .template()
                .withName("dagctl")
                .withNamespace("jobs")
                .withValuesFile(Repo.chart().resolve("ci").resolve(valuesFile))
                .call();
        Path out = Repo.root().resolve("deploy/chart-tests/target/rendered");
        Files.createDirectories(out);
        Files.writeString(out.resolve(valuesFile), yaml);
        return Manifests.parse(yaml);
    }

    @Test
    void lintsCleanInStrictMode() {
        LintResult lint = new Helm(Repo.chart()).lint().strict().call();
        assertTrue(!lint.isFailed(), String.join("\n", lint.getMessages()));
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void scaledObjectWatchesTheWorkersGroupOnTheDispatchTopic(String valuesFile) throws Exception {
        Manifests m = render(valuesFile);
        Map<String, Object> worker = m.named("Deployment", "dagctl-worker");
        Map<String, String> workerEnv = env(worker);
        List<Map<String, Object>> scaled = m.ofKind("ScaledObject");
        if (scaled.isEmpty()) {
            assertTrue(get(worker, "spec.replicas") instanceof Integer, "without autoscaling the replicas are fixed");
            return;
        }
        Map<String, Object> so = scaled.get(0);
        assertEquals("dagctl-worker", text(so, "spec.scaleTargetRef.name"));
        Map<?, ?> trigger = (Map<?, ?>) get(so, "spec.triggers.0.metadata");
        assertEquals("kafka", text(so, "spec.triggers.0.type"));
        assertEquals(
                workerEnv.get("DAGCTL_WORKER_GROUP_ID"),
                trigger.get("consumerGroup"),
                "KEDA must watch the group the workers consume in");
        assertEquals(workerEnv.get("DAGCTL_TOPICS_PREFIX") + ".dispatch", trigger.get("topic"));
        assertEquals(workerEnv.get("DAGCTL_KAFKA_BOOTSTRAP_SERVERS"), trigger.get("bootstrapServers"));
        int partitions = dispatchPartitions(m);
        assertTrue((Integer) get(so, "spec.maxReplicaCount") <= partitions, "maxReplicaCount ≤ dispatch partitions");
        assertTrue(get(worker, "spec.replicas") == null, "KEDA owns the replica count");
    }

    @Test
    void theWorkerGroupDefaultIsTheWorkersOwnDefault() throws Exception {
        String settings = Files.readString(
                Repo.root().resolve("worker-service/src/main/java/io/dagctl/worker/app/WorkerSettings.java"));
        Manifests m = render("default-values.yaml");
        String group = env(m.named("Deployment", "dagctl-worker")).get("DAGCTL_WORKER_GROUP_ID");
        assertTrue(
                settings.contains("@WithDefault(\"" + group + "\")\n        String groupId();"),
                "the chart's default group id " + group + " is the worker's default");
    }

    @Test
    void theLeaseOutlastsABrokerFailoverPlusAWorkerHeartbeatInterval() throws Exception {
        Manifests m = render("default-values.yaml");
        String lease = env(m.named("StatefulSet", "dagctl-coordinator")).get("DAGCTL_COORDINATOR_LEASE");
        Matcher heartbeat = Pattern.compile("@WithDefault\\(\"(\\d+)s\"\\)\\s+Duration heartbeatInterval\\(\\)")
                .matcher(Files.readString(
                        Repo.root().resolve("worker-service/src/main/java/io/dagctl/worker/app/WorkerSettings.java")));
        assertTrue(heartbeat.find(), "the worker's heartbeat interval default");
        Duration stockBrokerSession =
                Duration.ofSeconds(9); // broker.session.timeout.ms: when a dead broker's partitions move
        Duration needed = stockBrokerSession.plusSeconds(Long.parseLong(heartbeat.group(1)));
        assertTrue(
                Duration.parse("PT" + lease.toUpperCase()).compareTo(needed) > 0,
                "lease " + lease + " must outlast " + needed + ", or a broker crash makes running attempts look lost");
    }

    @Test
    void tooManyWorkersForThePartitionsIsRefused() {
        Exception refused = assertThrows(
                Exception.class,
                () -> new Helm(Repo.chart())
                        .template()
                        .withName("dagctl")
                        .set("topics.dispatchPartitions", 4)
                        .set("worker.autoscaling.maxReplicas", 10)
                        .call());
        assertTrue(
                refused.getMessage().contains("maxReplicas (10) is above topics.dispatchPartitions (4)"),
                refused.getMessage());
    }

    @ParameterizedTest
    @MethodSource("valuesFiles")
    void probesImagesAndPortsMatchTheServices(String valuesFile) throws Exception {
        Manifests m = render(valuesFile);
        Map<String, Object> coordinator = m.named("StatefulSet", "dagctl-coordinator");
        Map<String, Object> worker = m.named("Deployment", "dagctl-worker");
        int coordinatorPort = servicePort("coordinator-service");
        int workerPort = servicePort("worker-service");
        for (var workload : List.of(Map.entry(coordinator, coordinatorPort), Map.entry(worker, workerPort))) {
            Object container = get(workload.getKey(), "spec.template.spec.containers.0");
            assertEquals(workload.getValue(), get(container, "ports.0.containerPort"));
            assertEquals(
                    String.valueOf(workload.getValue()), env(workload.getKey()).get("QUARKUS_HTTP_PORT"));
            assertEquals("/q/health/ready", text(container, "readinessProbe.httpGet.path"));
            assertEquals("/q/health/live", text(container, "livenessProbe.httpGet.path"));
            assertEquals("http", text(container, "readinessProbe.httpGet.port"));
        }
        for (var workload : List.of(Map.entry(coordinator, "coordinator"), Map.entry(worker, "worker"))) {
            String dockerfile = Files.readString(Repo.root().resolve("docker/" + workload.getValue() + ".Dockerfile"));
            Object uid = get(workload.getKey(), "spec.template.spec.securityContext.runAsUser");
            assertTrue(
                    dockerfile.contains("\nUSER " + uid + ":" + uid + "\n"),
                    "runAsUser " + uid + " is the image's user, so runAsNonRoot can be verified");
        }
        assertTrue(text(coordinator, "spec.template.spec.containers.0.image").matches(".*/coordinator:[\\w.-]+"));
        assertTrue(text(worker, "spec.template.spec.containers.0.image").matches(".*/worker:[\\w.-]+"));
        assertTrue(env(coordinator)
                .get("DAGCTL_COORDINATOR_ADVERTISED_ADDRESS")
                .matches("\\$\\(POD_NAME\\)\\.dagctl-coordinator-headless\\.jobs\\.svc:" + coordinatorPort));
        assertTrue(env(coordinator).get("DAGCTL_AUTH_TOKENS").startsWith("from:"), "the token comes from a Secret");
    }

    @Test
    void workersGetLongerThanTheirDrainBeforeSigkill() throws Exception {
        Manifests m = render("default-values.yaml");
        Map<String, Object> worker = m.named("Deployment", "dagctl-worker");
        int grace = (Integer) get(worker, "spec.template.spec.terminationGracePeriodSeconds");
        String drain = env(worker).get("DAGCTL_WORKER_DRAIN_GRACE");
        assertTrue(grace > Integer.parseInt(drain.replace("s", "")), "grace " + grace + " s vs drain " + drain);
    }

    @Test
    void defaultsShipTopicsJobMonitoringAndAGeneratedToken() throws Exception {
        Manifests m = render("default-values.yaml");
        String job = text(m.one("Job"), "spec.template.spec.containers.0.args.0");
        for (String topic : List.of("commands", "results", "dispatch", "events", "control", "logs", "dlq", "dags")) {
            assertTrue(job.contains("--topic dagctl." + topic + " "), "the job creates dagctl." + topic);
        }
        assertTrue(job.contains("--topic dagctl.dispatch --partitions 48"));
        assertEquals(2, (Integer) get(m.one("PodDisruptionBudget"), "spec.minAvailable"));
        assertEquals(3, (Integer) get(m.named("StatefulSet", "dagctl-coordinator"), "spec.replicas"));
        assertTrue(text(m.one("PrometheusRule"), "spec.groups.0.rules.0.alert").startsWith("Dagctl"));
        assertEquals("/q/metrics", text(m.one("ServiceMonitor"), "spec.endpoints.0.path"));
        Map<?, ?> dashboard = (Map<?, ?>) get(m.one("ConfigMap"), "data");
        assertTrue(
                String.valueOf(dashboard.get("dagctl-dashboard.json")).contains("\"uid\": \"dagctl-overview\""),
                "the dashboard is in the ConfigMap");
    }

    /**
     * The generated token is a pre-install hook (made once, kept on upgrade), which {@code helm template} through
     * helm-java does not render: checked in the template source, and the coordinators' reference in the output.
     */
    @Test
    void theGeneratedTokenSecretIsMadeOnceAndReferenced() throws Exception {
        String template = Files.readString(Repo.chart().resolve("templates/api-token-secret.yaml"));
        assertTrue(
                template.contains("helm.sh/hook: pre-install") && template.contains("helm.sh/resource-policy: keep"));
        assertTrue(template.contains("DAGCTL_AUTH_TOKENS: {{ printf \"sha256:%s\" (sha256sum $token)"));
        Manifests m = render("default-values.yaml");
        assertTrue(m.yaml().contains("name: dagctl-api-token\n                  key: DAGCTL_AUTH_TOKENS"));
    }

    @Test
    void strimziTopicsMatchTheCoordinatorsTopics() throws Exception {
        Manifests m = render("strimzi-values.yaml");
        List<Map<String, Object>> topics = m.ofKind("KafkaTopic");
        assertEquals(10, topics.size());
        assertEquals(
                "compact,delete",
                ((Map<?, ?>) Manifests.get(m.named("KafkaTopic", "prod-workers"), "spec.config"))
                        .get("cleanup.policy"));
        assertEquals("prod.dags", text(m.named("KafkaTopic", "prod-dags"), "spec.topicName"));
        Map<String, Object> dispatch = m.named("KafkaTopic", "prod-dispatch");
        assertEquals("prod.dispatch", text(dispatch, "spec.topicName"));
        assertEquals(24, get(dispatch, "spec.partitions"));
        assertEquals("kafka-main", ((Map<?, ?>) get(dispatch, "metadata.labels")).get("strimzi.io/cluster"));
        assertEquals(0, (Integer) get(m.one("ScaledObject"), "spec.minReplicaCount"), "scale to zero");
        assertTrue(m.ofKind("Job").isEmpty());
        assertTrue(m.yaml().contains("name: dagctl-tokens\n                  key: DAGCTL_AUTH_TOKENS"));
        assertEquals(
                "http://jaeger-collector.observability:4318",
                env(m.named("Deployment", "dagctl-worker")).get("OTEL_EXPORTER_OTLP_ENDPOINT"));
    }

    @Test
    void securedKafkaSettingsReachEveryClientFromASecret() throws Exception {
        Manifests m = render("secured-values.yaml");
        Map<String, Object> secret = m.named("Secret", "dagctl-kafka");
        String properties = String.valueOf(((Map<?, ?>) get(secret, "stringData")).get("kafka.properties"));
        assertTrue(properties.contains("security.protocol=SASL_SSL\n"), properties);
        assertTrue(properties.contains("sasl.mechanism=SCRAM-SHA-512\n"), properties);
        for (Map<String, Object> workload :
                List.of(m.named("StatefulSet", "dagctl-coordinator"), m.named("Deployment", "dagctl-worker"))) {
            assertEquals("/etc/dagctl/kafka/kafka.properties", env(workload).get("DAGCTL_KAFKA_PROPERTIES_FILE"));
            assertTrue(m.yaml().contains("secretName: dagctl-kafka"));
            assertTrue(String.valueOf(get(workload, "spec.template.spec.containers.0.volumeMounts"))
                    .contains("mountPath=/etc/dagctl/kafka"));
        }
        assertTrue(
                m.yaml().contains("--command-config /etc/dagctl/kafka/kafka.properties"),
                "the topic job logs in as the services do");
        assertEquals("kafka-scram", text(m.one("ScaledObject"), "spec.triggers.0.authenticationRef.name"));
    }

    @Test
    void workersUseStaticMembershipWithTheirPodName() throws Exception {
        Map<String, String> env = env(render("default-values.yaml").named("Deployment", "dagctl-worker"));
        assertTrue(env.get("DAGCTL_WORKER_INSTANCE_ID").contains("metadata.name"), env.toString());
        assertTrue(!env.containsKey("DAGCTL_KAFKA_PROPERTIES_FILE"), "no client settings unless given");
    }

    @Test
    void chartCopiesOfTheAlertsAndTheDashboardAreTheCanonicalOnes() throws Exception {
        Path observability = Repo.root().resolve("deploy/observability");
        assertEquals(
                Files.readString(observability.resolve("prometheus/dagctl-alerts.yaml")),
                Files.readString(Repo.chart().resolve("files/dagctl-alerts.yaml")));
        assertEquals(
                Files.readString(observability.resolve("grafana/dagctl-dashboard.json")),
                Files.readString(Repo.chart().resolve("files/dagctl-dashboard.json")));
    }

    private static int dispatchPartitions(Manifests m) {
        return Integer.parseInt(
                env(m.named("StatefulSet", "dagctl-coordinator")).get("DAGCTL_TOPICS_DISPATCH_PARTITIONS"));
    }

    /** The HTTP port a service listens on by default, from its application.properties. */
    static int servicePort(String module) throws Exception {
        Properties p = new Properties();
        try (var in =
                Files.newBufferedReader(Repo.root().resolve(module + "/src/main/resources/application.properties"))) {
            p.load(in);
        }
        return Integer.parseInt(p.getProperty("quarkus.http.port"));
    }

    private static Manifests renderWith(Path values) throws Exception {
        return Manifests.parse(new Helm(Repo.chart())
                .template()
                .withName("dagctl")
                .withNamespace("jobs")
                .withValuesFile(values)
                .call());
    }

    @Test
    void eachWorkerPoolIsADeploymentServingItsQueuesScaledOnItsOwnTopics() throws Exception {
        Manifests m = renderWith(Repo.root().resolve("deploy/chart-tests/src/test/resources/pools-values.yaml"));
        assertTrue(
                m.ofKind("Deployment").stream().noneMatch(d -> "dagctl-worker".equals(get(d, "metadata.name"))),
                "with pools there is no unnamed worker Deployment");
        Map<String, Object> general = m.named("Deployment", "dagctl-worker-general");
        Map<String, Object> gpu = m.named("Deployment", "dagctl-worker-gpu");
        assertEquals("default,reports", env(general).get("DAGCTL_WORKER_QUEUES"));
        assertEquals("4", env(general).get("DAGCTL_WORKER_SLOTS"), "a pool keeps the worker settings it does not set");
        assertEquals("gpu", env(gpu).get("DAGCTL_WORKER_QUEUES"));
        assertEquals("1", env(gpu).get("DAGCTL_WORKER_SLOTS"));
        assertEquals(env(general).get("DAGCTL_WORKER_GROUP_ID"), env(gpu).get("DAGCTL_WORKER_GROUP_ID"));
        assertEquals("nvidia", text(gpu, "spec.template.spec.nodeSelector.accelerator"));
        assertEquals("nvidia.com/gpu", text(gpu, "spec.template.spec.tolerations.0.key"));
        Map<?, ?> limits = (Map<?, ?>) get(gpu, "spec.template.spec.containers.0.resources.limits");
        assertEquals(1, limits.get("nvidia.com/gpu"));
        assertEquals("1Gi", text(general, "spec.template.spec.containers.0.resources.limits.memory"));
        assertTrue(
                !get(general, "spec.selector.matchLabels").equals(get(gpu, "spec.selector.matchLabels")),
                "the pools' selectors do not overlap");

        Map<String, Object> gpuScaler = m.named("ScaledObject", "dagctl-worker-gpu");
        assertEquals("dagctl-worker-gpu", text(gpuScaler, "spec.scaleTargetRef.name"));
        assertEquals(0, get(gpuScaler, "spec.minReplicaCount"));
        assertEquals(4, get(gpuScaler, "spec.maxReplicaCount"));
        assertEquals("dagctl.dispatch.gpu", text(gpuScaler, "spec.triggers.0.metadata.topic"));
        Map<String, Object> generalScaler = m.named("ScaledObject", "dagctl-worker-general");
        assertEquals("dagctl.dispatch", text(generalScaler, "spec.triggers.0.metadata.topic"));
        assertEquals("dagctl.dispatch.reports", text(generalScaler, "spec.triggers.1.metadata.topic"));

        String job = text(m.one("Job"), "spec.template.spec.containers.0.args.0");
        assertTrue(job.contains("--topic dagctl.dispatch.gpu --partitions 48"), job);
        assertTrue(job.contains("--topic dagctl.dispatch.reports --partitions 48"), job);
        for (String pool : List.of("general", "gpu")) {
            Map<String, Object> metrics = m.named("Service", "dagctl-worker-" + pool + "-metrics");
            Map<?, ?> labels = (Map<?, ?>) get(metrics, "metadata.labels");
            assertEquals("true", labels.get("dagctl.io/scrape"));
            assertEquals("dagctl-worker", labels.get("dagctl.io/job"));
        }
    }

    @Test
    void aWorkerPoolWithoutQueuesOrWithABadNameIsRefusedByName() {
        Exception noQueues = assertThrows(
                Exception.class,
                () -> new Helm(Repo.chart())
                        .template()
                        .withName("dagctl")
                        .set("workerPools[0].name", "gpu")
                        .call());
        assertTrue(noQueues.getMessage().contains("workerPools[0] (gpu) needs queues"), noQueues.getMessage());
        Exception badQueue = assertThrows(
                Exception.class,
                () -> new Helm(Repo.chart())
                        .template()
                        .withName("dagctl")
                        .set("workerPools[0].name", "gpu")
                        .set("workerPools[0].queues[0]", "gpu.big")
                        .call());
        assertTrue(badQueue.getMessage().contains("queue \"gpu.big\" must be letters"), badQueue.getMessage());
        Exception badName = assertThrows(
                Exception.class,
                () -> new Helm(Repo.chart())
                        .template()
                        .withName("dagctl")
                        .set("workerPools[0].name", "GPU")
                        .set("workerPools[0].queues[0]", "gpu")
                        .call());
        assertTrue(badName.getMessage().contains("workerPools[0].name \"GPU\" must be"), badName.getMessage());
        Exception tooMany = assertThrows(
                Exception.class,
                () -> new Helm(Repo.chart())
                        .template()
                        .withName("dagctl")
                        .set("topics.dispatchPartitions", 4)
                        .set("workerPools[0].name", "gpu")
                        .set("workerPools[0].queues[0]", "gpu")
                        .set("workerPools[0].autoscaling.maxReplicas", 10)
                        .call());
        assertTrue(
                tooMany.getMessage().contains("workerPools gpu: autoscaling.maxReplicas (10) is above"),
                tooMany.getMessage());
    }
}
