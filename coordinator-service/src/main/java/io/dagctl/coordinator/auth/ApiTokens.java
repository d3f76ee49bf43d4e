package io.dagctl.coordinator.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens the API accepts, kept only as SHA-256 hashes. Configured hashes ({@code sha256:<hex>}) win; with
 * none configured, a token is generated once and written to a file only its owner can read, and reused from there on
 * later starts.
 */
public final class ApiTokens {

    private static final System.Logger LOG = System.getLogger(ApiTokens.class.getName());
    private static final String PREFIX = "sha256:";

    private final List<byte[]> hashes;

    private ApiTokens(List<byte[]> hashes) {
        this.hashes = hashes;
    }

    public static ApiTokens from(List<String> configuredHashes, Path tokenFile) {
        if (!configuredHashes.isEmpty()) {
            return new ApiTokens(
                    configuredHashes.stream().map(ApiTokens::parseHash).toList());
        }
        return new ApiTokens(List.of(sha256(readOrCreate(tokenFile))));
    }

    private static byte[] parseHash(String configured) {
        String value = configured.trim();
        if (!value.startsWith(PREFIX) || value.length() != PREFIX.length() + 64) {
            throw new IllegalArgumentException("dagctl.auth.tokens: '" + abbreviate(value)
                    + "' is not a token hash; give sha256:<64 hex digits> (printf %s TOKEN | sha256sum)");
        }
        return HexFormat.of().parseHex(value.substring(PREFIX.length()));
    }

    private static String abbreviate(String s) {
        return s.length() > 12 ? s.substring(0, 12) + "…" : s;
    }

    private static String readOrCreate(Path file) {
        try {
            if (Files.exists(file)) {
                String token = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!token.isEmpty()) {
                    return token;
                }
            }
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path temp = Files.createTempFile(
                    dir,
                    ".api-token",
                    ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, token + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
            LOG.log(System.Logger.Level.INFO, "no API token configured: generated one in {0} (mode 0600)", file);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the API token file " + file, e);
        }
    }

    /** True when {@code presented} is one of the tokens; the comparison takes the same time whatever matches. */
    public boolean accepts(Optional<String> presented) {
        return presented.isPresent() && hashOf(presented.get()).isPresent();
    }

    /** The stored hash of {@code presented} when it is one of the tokens; compared in the same time whatever matches. */
    Optional<byte[]> hashOf(String presented) {
        byte[] hash = sha256(presented);
        byte[] found = null;
        for (byte[] known : hashes) {
            if (MessageDigest.isEqual(known, hash)) {
                found = known;
            }
        }
        return Optional.ofNullable(found);
    }

    /** Every accepted token's hash: what signs and checks browser sessions. */
    List<byte[]> hashes() {
        return hashes;
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
