package io.dagctl.coordinator.auth;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Browser sessions for the web UI, kept in the cookie itself: {@code v1.<expiry>.<key id>.<nonce>.<mac>}, signed with
 * HMAC-SHA256 under a key made of the cluster's {@link SessionSecret} and the hash of the API token that signed in.
 * Any coordinator of the cluster checks the cookie without asking another, a token removed from the configuration
 * ends its sessions when the instances restart with it, and an expiry later than a session's lifetime is refused.
 *
 * <p>A state-changing request also carries a CSRF token, an HMAC of the cookie: a page of another site cannot read
 * it, so it cannot send it.
 */
public final class UiSessions {

    public static final String COOKIE = "dagctl_session";
    private static final String VERSION = "v1";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final ApiTokens tokens;
    private final Supplier<byte[]> secret;
    private final Duration lifetime;
    private final SecureRandom random = new SecureRandom();

    public UiSessions(ApiTokens tokens, Supplier<byte[]> secret, Duration lifetime) {
        this.tokens = tokens;
        this.secret = secret;
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    /** A new session's cookie value when {@code token} is accepted. */
    public Optional<String> signIn(String token, Instant now) {
        if (token == null || token.isBlank()) {
            return Optional.empty();
        }
        return tokens.hashOf(token.trim()).map(this::keyFor).map(key -> {
            byte[] nonce = new byte[12];
            random.nextBytes(nonce);
            String body = VERSION + "." + now.plus(lifetime).getEpochSecond() + "." + keyId(key) + "."
                    + B64.encodeToString(nonce);
            return body + "." + B64.encodeToString(mac(key, "session|" + body));
        });
    }

    /** Whether {@code cookie} is a session signed by an accepted token that has not expired. */
    public boolean isValid(String cookie, Instant now) {
        return keyOf(cookie, now).isPresent();
    }

    private static final System.Logger LOG = System.getLogger(UiSessions.class.getName());

    /** The CSRF token that goes with a session; empty when the session is not valid. */
    public Optional<String> csrfToken(String cookie, Instant now) {
        return keyOf(cookie, now).map(key -> B64.encodeToString(mac(key, "csrf|" + cookie)));
    }

    /** Whether {@code presented} is the CSRF token of the valid session {@code cookie}. */
    public boolean csrfMatches(String cookie, String presented, Instant now) {
        if (presented == null) {
            return false;
        }
        return csrfToken(cookie, now)
                .map(expected -> MessageDigest.isEqual(
                        expected.getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII)))
                .orElse(false);
    }

    private Optional<byte[]> keyOf(String cookie, Instant now) {
        if (cookie == null || cookie.length() > 256) {
            return Optional.empty();
        }
        String[] parts = cookie.split("\\.", -1);
        if (parts.length != 5 || !parts[0].equals(VERSION)) {
            return Optional.empty();
        }
        long expires;
        try {
            expires = Long.parseLong(parts[1]);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (now.getEpochSecond() >= expires || expires > now.plus(lifetime).getEpochSecond() + 60) {
            return Optional.empty();
        }
        String body = cookie.substring(0, cookie.lastIndexOf('.'));
        byte[] presented;
        try {
            presented = Base64.getUrlDecoder().decode(parts[4]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        for (byte[] hash : tokens.hashes()) {
            byte[] key;
            try {
                key = keyFor(hash);
            } catch (IllegalStateException e) {
                // the secret cannot be read from Kafka now: no session is valid until it can
                LOG.log(System.Logger.Level.WARNING, e.getMessage());
                return Optional.empty();
            }
            if (keyId(key).equals(parts[2]) && MessageDigest.isEqual(mac(key, "session|" + body), presented)) {
                return Optional.of(key);
            }
        }
        return Optional.empty();
    }

    /** The signing key of sessions of the token with this hash: neither the hash nor the secret alone gives it. */
    private byte[] keyFor(byte[] tokenHash) {
        return mac(secret.get(), "token|" + HexFormat.of().formatHex(tokenHash));
    }

    /** Names the key a session was signed with, without revealing anything of it. */
    private static String keyId(byte[] key) {
        return HexFormat.of().formatHex(mac(key, "key-id"), 0, 6);
    }

    private static byte[] mac(byte[] key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }
}
