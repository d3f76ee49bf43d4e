package io.dagctl.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * What an embedded broker needs to take clients the way a secured managed Kafka does: TLS with a certificate made
 * here for 127.0.0.1 (by the JDK's {@code keytool}), SASL with an {@code admin} (PLAIN, also used between brokers)
 * and SCRAM-SHA-512 users, and the standard authorizer with no access for anyone an ACL does not name. Single node.
 */
public final class SecureListener {

    public static final String ADMIN = "admin";
    private static final String STORE_PASSWORD = "dagctl-test-store";

    private final Path truststore;
    private final Path keystore;
    private final String adminPassword;
    private final Map<String, String> scramUsers;

    private SecureListener(Path truststore, Path keystore, String adminPassword, Map<String, String> scramUsers) {
        this.truststore = truststore;
        this.keystore = keystore;
        this.adminPassword = adminPassword;
        this.scramUsers = Map.copyOf(scramUsers);
    }

    /**
     * Makes a key and certificate for 127.0.0.1 and a truststore that trusts it, in {@code dir}.
     *
     * @param scramUsers name → password of the SCRAM-SHA-512 users the broker knows from its first start
     */
    public static SecureListener create(Path dir, String adminPassword, Map<String, String> scramUsers) {
        try {
            Files.createDirectories(dir);
            Path keystore = dir.resolve("broker.p12");
            Path certificate = dir.resolve("broker.crt");
            Path truststore = dir.resolve("truststore.p12");
            for (Path file : List.of(keystore, certificate, truststore)) {
                Files.deleteIfExists(file);
            }
            keytool(
                    "-genkeypair",
                    "-alias",
                    "broker",
                    "-keyalg",
                    "RSA",
                    "-keysize",
                    "2048",
                    "-validity",
                    "30",
                    "-dname",
                    "CN=localhost",
                    "-ext",
                    "SAN=ip:127.0.0.1,dns:localhost",
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    keystore.toString(),
                    "-storepass",
                    STORE_PASSWORD,
                    "-keypass",
                    STORE_PASSWORD);
            keytool(
                    "-exportcert",
                    "-alias",
                    "broker",
                    "-rfc",
                    "-file",
                    certificate.toString(),
                    "-keystore",
                    keystore.toString(),
                    "-storepass",
                    STORE_PASSWORD);
            keytool(
                    "-importcert",
                    "-noprompt",
                    "-alias",
                    "broker",
                    "-file",
                    certificate.toString(),
                    "-storetype",
                    "PKCS12",
                    "-keystore",
                    truststore.toString(),
                    "-storepass",
                    STORE_PASSWORD);
            return new SecureListener(truststore, keystore, adminPassword, new LinkedHashMap<>(scramUsers));
        } catch (IOException e) {
            throw new IllegalStateException("cannot make TLS keys in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IOException("keytool " + args[0] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running keytool", e);
        }
    }

    /** The settings a client uses to log in as a SCRAM user (or, for {@link #ADMIN}, with PLAIN). */
    public Properties clientProperties(String user, String password) {
        Properties p = trustOnly();
        p.put("security.protocol", "SASL_SSL");
        if (user.equals(ADMIN)) {
            p.put("sasl.mechanism", "PLAIN");
            p.put(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + user
                            + "\" password=\"" + password + "\";");
        } else {
            p.put("sasl.mechanism", "SCRAM-SHA-512");
            p.put(
                    "sasl.jaas.config",
                    "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                            + "\" password=\"" + password + "\";");
        }
        return p;
    }

    public Properties adminProperties() {
        return clientProperties(ADMIN, adminPassword);
    }

    /** TLS only: trusts the broker's certificate, logs in as nobody. */
    public Properties trustOnly() {
        Properties p = new Properties();
        p.put("ssl.truststore.location", truststore.toString());
        p.put("ssl.truststore.password", STORE_PASSWORD);
        p.put("ssl.truststore.type", "PKCS12");
        return p;
    }

    /** The broker's settings for a client listener on {@code port} and a plain controller listener. */
    void apply(Properties broker, int port, int controllerPort) {
        broker.put("listeners", "SASL_SSL://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        broker.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + port);
        broker.put("inter.broker.listener.name", "SASL_SSL");
        broker.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        broker.put("sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-512");
        broker.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
        broker.put(
                "listener.name.sasl_ssl.plain.sasl.jaas.config",
                "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + ADMIN
                        + "\" password=\"" + adminPassword + "\" user_" + ADMIN + "=\"" + adminPassword + "\";");
        broker.put(
                "listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config",
                "org.apache.kafka.common.security.scram.ScramLoginModule required;");
        broker.put("ssl.keystore.location", keystore.toString());
        broker.put("ssl.keystore.password", STORE_PASSWORD);
        broker.put("ssl.key.password", STORE_PASSWORD);
        broker.put("ssl.keystore.type", "PKCS12");
        broker.put("ssl.truststore.location", truststore.toString());
        broker.put("ssl.truststore.password", STORE_PASSWORD);
        broker.put("ssl.truststore.type", "PKCS12");
        broker.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        // the admin, and the node itself over its plain controller listener (controller requests only)
        broker.put("super.users", "User:" + ADMIN + ";User:ANONYMOUS");
        broker.put("allow.everyone.if.no.acl.found", "false");
    }

    /** The {@code kafka-storage format} arguments that create the SCRAM users with the metadata log. */
    List<String> formatArguments() {
        List<String> args = new ArrayList<>();
        scramUsers.forEach((name, password) -> {
            args.add("--add-scram");
            args.add("SCRAM-SHA-512=[name=" + name + ",password=" + password + "]");
        });
        return args;
    }
}
