package io.dagctl.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.dagctl.core.event.Topics;
import io.dagctl.core.model.RunStatus;
import io.dagctl.core.report.RunReport;
import io.dagctl.kafka.EmbeddedKafka;
import io.dagctl.kafka.FreePorts;
import io.dagctl.kafka.SecureListener;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * dagctl against a Kafka that wants TLS, SASL/SCRAM and ACLs, as managed Kafka does: the coordinator and the worker
 * log in with their own users, each allowed what the README says it needs and nothing more; a DAG runs; the worker's
 * user cannot write to the dispatch topic, and a client with a wrong password cannot log in at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredKafkaIT {

    private static final String COORDINATOR = "coordinator";
    private static final String WORKER = "worker";
    private static final String PASSWORD = "s3cret-for-the-test";
    private static final String TOKEN = "secured-kafka-token";
    private static final Topics TOPICS = Topics.defaults();

    private Path dir;
    private SecureListener listener;
    private EmbeddedKafka kafka;
    private final List<ManagedProcess> services = new ArrayList<>();
    private CoordinatorApi api;

    @BeforeAll
    void start() throws Exception {
        dir = Files.createTempDirectory("dagctl-secured-");
        listener = SecureListener.create(
                dir.resolve("tls"), "admin-" + PASSWORD, Map.of(COORDINATOR, PASSWORD, WORKER, PASSWORD));
        kafka = EmbeddedKafka.builder()
                .dataDir(dir.resolve("kafka"))
                .secure(listener)
                .build()
                .start();
        grantWhatTheReadmeSays();
        int port = FreePorts.next();
        services.add(new ManagedProcess(
                        "coordinator",
                        List.of("-jar", RepoPaths.app("coordinator-service").toString()),
                        Map.of(
                                "DAGCTL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                                "DAGCTL_KAFKA_PROPERTIES_FILE",
                                        propertiesFile(COORDINATOR).toString(),
                                "DAGCTL_COORDINATOR_STATE_DIR",
                                        dir.resolve("state").toString(),
                                "DAGCTL_AUTH_TOKENS", "sha256:" + ProcessCluster.sha256(TOKEN),
                                "QUARKUS_HTTP_PORT", String.valueOf(port),
                                "QUARKUS_HTTP_HOST", "127.0.0.1"),
                        dir.resolve("coordinator.log"))
                .start());
        services.add(new ManagedProcess(
                        "worker",
                        List.of("-jar", RepoPaths.app("worker-service").toString()),
                        Map.of(
                                "DAGCTL_KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers(),
                                "DAGCTL_KAFKA_PROPERTIES_FILE",
                                        propertiesFile(WORKER).toString(),
                                "DAGCTL_WORKER_SLOTS", "2",
                                "DAGCTL_WORKER_WORK_DIR", dir.resolve("work").toString(),
                                "QUARKUS_HTTP_PORT", String.valueOf(FreePorts.next()),
                                "QUARKUS_HTTP_HOST", "127.0.0.1"),
                        dir.resolve("worker.log"))
                .start());
        api = new CoordinatorApi("http://127.0.0.1:" + port, TOKEN);
        try {
            ProcessCluster.awaitReady(api.base(), Duration.ofSeconds(120));
        } catch (RuntimeException e) {
            throw new AssertionError(diagnostics(), e);
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (ManagedProcess service : services) {
            service.stop();
        }
        if (kafka != null) {
            kafka.close();
        }
        ScratchDirs.deleteAllButLogs(dir);
    }

    @Test
    void servicesWithTheirOwnCredentialsRunADag() throws Exception {
        String runId = api.submit("""
                name: secured
                tasks:
                  - {name: a, command: "echo over TLS"}
                  - {name: b, command: "true", dependencies: [a]}
                """);
        RunReport report = api.awaitEnd(runId, Duration.ofSeconds(90));
        assertEquals(RunStatus.SUCCESS, report.status(), diagnostics());
        assertEquals("over TLS\n", CoordinatorApi.task(report, "a").stdoutTail());
    }

    @Test
    void theWorkersUserCannotWriteDispatchesItMayOnlyRead() {
        ExecutionException refused = assertThrows(ExecutionException.class, () -> send(WORKER, PASSWORD));
        assertInstanceOf(TopicAuthorizationException.class, refused.getCause(), refused.toString());
    }

    @Test
    void aClientWithAWrongPasswordCannotLogIn() {
        ExecutionException refused = assertThrows(ExecutionException.class, () -> send(WORKER, "not-the-password"));
        assertInstanceOf(SaslAuthenticationException.class, refused.getCause(), refused.toString());
    }

    private void send(String user, String password) throws Exception {
        Properties props = listener.clientProperties(user, password);
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
            producer.send(new ProducerRecord<>(TOPICS.dispatch(), "attempt", "{}"))
                    .get(20, TimeUnit.SECONDS);
        }
    }

    /** The ACLs of the README's "Secured Kafka" section, for the prefix dagctl and the default group and app ids. */
    private void grantWhatTheReadmeSays() throws Exception {
        List<AclBinding> acls = new ArrayList<>();
        // the coordinator: every dagctl topic (it creates them), its Streams changelogs, group and transactions
        for (String prefix : List.of("dagctl.", "dagctl-coordinator")) {
            for (AclOperation operation : List.of(
                    AclOperation.CREATE,
                    AclOperation.DESCRIBE,
                    AclOperation.DESCRIBE_CONFIGS,
                    AclOperation.READ,
                    AclOperation.WRITE)) {
                allow(acls, COORDINATOR, ResourceType.TOPIC, prefix, PatternType.PREFIXED, operation);
            }
        }
        allow(acls, COORDINATOR, ResourceType.GROUP, "dagctl-coordinator", PatternType.PREFIXED, AclOperation.ALL);
        allow(
                acls,
                COORDINATOR,
                ResourceType.TRANSACTIONAL_ID,
                "dagctl-coordinator",
                PatternType.PREFIXED,
                AclOperation.ALL);
        allow(
                acls,
                COORDINATOR,
                ResourceType.CLUSTER,
                "kafka-cluster",
                PatternType.LITERAL,
                AclOperation.IDEMPOTENT_WRITE);
        allow(
                acls,
                COORDINATOR,
                ResourceType.CLUSTER,
                "kafka-cluster",
                PatternType.LITERAL,
                AclOperation.DESCRIBE_CONFIGS);
        // the worker: read dispatch and control; write results, logs and dead letters; its group
        for (String topic : List.of(TOPICS.dispatch(), TOPICS.control())) {
            allow(acls, WORKER, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.READ);
            allow(acls, WORKER, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE);
        }
        for (String topic : List.of(TOPICS.results(), TOPICS.logs(), TOPICS.dlq(), TOPICS.workers())) {
            allow(acls, WORKER, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.WRITE);
            allow(acls, WORKER, ResourceType.TOPIC, topic, PatternType.LITERAL, AclOperation.DESCRIBE);
        }
        allow(acls, WORKER, ResourceType.GROUP, "dagctl-workers", PatternType.LITERAL, AclOperation.READ);
        allow(acls, WORKER, ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.IDEMPOTENT_WRITE);
        try (Admin admin = kafka.admin()) {
            admin.createAcls(acls).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static void allow(
            List<AclBinding> acls,
            String user,
            ResourceType type,
            String name,
            PatternType pattern,
            AclOperation operation) {
        acls.add(new AclBinding(
                new ResourcePattern(type, name, pattern),
                new AccessControlEntry("User:" + user, "*", operation, AclPermissionType.ALLOW)));
    }

    private Path propertiesFile(String user) throws Exception {
        Path file = dir.resolve(user + "-kafka.properties");
        try (OutputStream out = Files.newOutputStream(file)) {
            listener.clientProperties(user, PASSWORD).store(out, "Kafka client settings of the " + user);
        }
        return file;
    }

    private String diagnostics() {
        StringBuilder out = new StringBuilder();
        for (ManagedProcess service : services) {
            try {
                out.append(service.describe()).append('\n');
            } catch (Exception e) {
                out.append("no log of ").append(service.name).append('\n');
            }
        }
        return out.toString();
    }
}
