package io.dagctl.coordinator.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UiSessionsTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @TempDir
    Path dir;

    private static String hash(String token) {
        return "sha256:" + HexFormat.of().formatHex(ApiTokens.sha256(token));
    }

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();

    private UiSessions sessions(String... tokens) {
        return sessions(SECRET, tokens);
    }

    private UiSessions sessions(byte[] secret, String... tokens) {
        List<String> hashes =
                java.util.Arrays.stream(tokens).map(UiSessionsTest::hash).toList();
        return new UiSessions(ApiTokens.from(hashes, dir.resolve("unused")), () -> secret, Duration.ofHours(12));
    }

    @Test
    void aSessionSignedOnOneInstanceIsAcceptedByAnotherWithTheSameTokens() {
        String cookie = sessions("alpha", "beta").signIn("beta", NOW).orElseThrow();
        UiSessions other = sessions("beta", "alpha");
        assertTrue(other.isValid(cookie, NOW.plusSeconds(60)));
        assertEquals(
                sessions("alpha", "beta").csrfToken(cookie, NOW).orElseThrow(),
                other.csrfToken(cookie, NOW).orElseThrow(),
                "the CSRF token is the same on every instance");
    }

    @Test
    void aWrongTokenSignsNothingIn() {
        assertTrue(sessions("alpha").signIn("alpha2", NOW).isEmpty());
        assertTrue(sessions("alpha").signIn("", NOW).isEmpty());
        assertTrue(sessions("alpha").signIn(null, NOW).isEmpty());
    }

    @Test
    void aSessionEndsAtItsExpiryOrWhenItsTokenIsRemoved() {
        String cookie = sessions("alpha", "beta").signIn("alpha", NOW).orElseThrow();
        assertTrue(
                sessions("alpha").isValid(cookie, NOW.plus(Duration.ofHours(12)).minusSeconds(1)));
        assertFalse(sessions("alpha").isValid(cookie, NOW.plus(Duration.ofHours(12))));
        assertFalse(sessions("beta").isValid(cookie, NOW), "the token that signed it is no longer accepted");
    }

    @Test
    void aChangedCookieIsRefused() {
        String cookie = sessions("alpha").signIn("alpha", NOW).orElseThrow();
        String[] parts = cookie.split("\\.");
        String later =
                parts[0] + "." + (Long.parseLong(parts[1]) + 86_400) + "." + parts[2] + "." + parts[3] + "." + parts[4];
        assertFalse(sessions("alpha").isValid(later, NOW), "a longer expiry breaks the signature");
        assertFalse(sessions("alpha").isValid(cookie + "x", NOW));
        assertFalse(sessions("alpha").isValid("v1.garbage", NOW));
        assertFalse(sessions("alpha").isValid("", NOW));
    }

    @Test
    void theTokensHashAloneCannotForgeASession() throws Exception {
        String real = sessions("alpha").signIn("alpha", NOW).orElseThrow();
        String[] parts = real.split("\\.");
        byte[] hash = ApiTokens.sha256("alpha");
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(hash, "HmacSHA256"));
        String body = parts[0] + "." + parts[1] + "." + parts[2] + "." + parts[3];
        String forged = body + "."
                + java.util.Base64.getUrlEncoder()
                        .withoutPadding()
                        .encodeToString(mac.doFinal(("session|" + body).getBytes()));
        assertFalse(sessions("alpha").isValid(forged, NOW), "signed with the configured hash");
        assertFalse(
                sessions("another cluster's secret, 32 bytes".getBytes(), "alpha")
                        .isValid(real, NOW),
                "another cluster with the same token does not accept it");
    }

    @Test
    void anExpiryBeyondTheLifetimeIsRefused() {
        String cookie = sessions("alpha").signIn("alpha", NOW).orElseThrow();
        assertTrue(sessions("alpha").isValid(cookie, NOW));
        assertFalse(
                sessions("alpha").isValid(cookie, NOW.minus(Duration.ofHours(1))),
                "seen from an hour earlier it would outlive its lifetime");
    }

    @Test
    void theCsrfTokenBelongsToItsSession() {
        UiSessions s = sessions("alpha");
        String one = s.signIn("alpha", NOW).orElseThrow();
        String two = s.signIn("alpha", NOW).orElseThrow();
        String csrf = s.csrfToken(one, NOW).orElseThrow();
        assertTrue(s.csrfMatches(one, csrf, NOW));
        assertFalse(s.csrfMatches(two, csrf, NOW), "two sign-ins are two sessions with two tokens");
        assertFalse(s.csrfMatches(one, null, NOW));
        assertFalse(s.csrfMatches(one, csrf.substring(1), NOW));
    }
}
