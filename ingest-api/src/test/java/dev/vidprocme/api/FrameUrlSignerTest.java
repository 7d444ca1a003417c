package dev.vidprocme.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Signed frame URLs: valid until expiry, useless once altered. */
class FrameUrlSignerTest {
    private static final byte[] KEY =
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final String ID = "123e4567-e89b-12d3-a456-426614174000";
    private static final Instant NOW = Instant.parse("2030-01-01T10:00:10Z");

    private final FrameUrlSigner signer =
            new FrameUrlSigner(KEY, Duration.ofHours(1), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void signedPathVerifies() {
        Map<String, String> q = query(signer.signedPath(ID, 7));
        assertThatCode(() -> signer.verify(ID, 7, q.get("exp"), q.get("sig")))
                .doesNotThrowAnyException();
        // Hex case does not matter.
        assertThatCode(() -> signer.verify(ID, 7, q.get("exp"), q.get("sig").toUpperCase()))
                .doesNotThrowAnyException();
    }

    @Test
    void expiryIsRoundedUpButCoversTheLifetime() {
        long exp = Long.parseLong(query(signer.signedPath(ID, 0)).get("exp"));
        assertThat(exp)
                .isGreaterThanOrEqualTo(NOW.getEpochSecond() + 3600)
                .isLessThan(NOW.getEpochSecond() + 3900);
        assertThat(exp % 300).isZero();
        // The same page a moment later gives the same URL, so browsers can cache the image.
        FrameUrlSigner later =
                new FrameUrlSigner(
                        KEY, Duration.ofHours(1), Clock.fixed(NOW.plusSeconds(20), ZoneOffset.UTC));
        assertThat(later.signedPath(ID, 0)).isEqualTo(signer.signedPath(ID, 0));
    }

    @Test
    void tamperingIsForbidden() {
        Map<String, String> q = query(signer.signedPath(ID, 7));
        assertForbidden(() -> signer.verify(ID, 8, q.get("exp"), q.get("sig")));
        assertForbidden(
                () ->
                        signer.verify(
                                ID,
                                7,
                                Long.toString(Long.parseLong(q.get("exp")) + 1),
                                q.get("sig")));
        assertForbidden(
                () ->
                        signer.verify(
                                "223e4567-e89b-12d3-a456-426614174000",
                                7,
                                q.get("exp"),
                                q.get("sig")));
        String flipped = (q.get("sig").charAt(0) == '0' ? "1" : "0") + q.get("sig").substring(1);
        assertForbidden(() -> signer.verify(ID, 7, q.get("exp"), flipped));
        assertForbidden(() -> signer.verify(ID, 7, "soon", q.get("sig")));
        assertForbidden(() -> signer.verify(ID, 7, q.get("exp"), null));
        assertForbidden(() -> signer.verify(ID, 7, q.get("exp"), "abc"));
        FrameUrlSigner otherKey =
                new FrameUrlSigner(
                        "another key of enough length!!!!".getBytes(StandardCharsets.US_ASCII),
                        Duration.ofHours(1),
                        Clock.fixed(NOW, ZoneOffset.UTC));
        assertForbidden(() -> otherKey.verify(ID, 7, q.get("exp"), q.get("sig")));
    }

    @Test
    void expiredIsForbidden() {
        long exp = NOW.getEpochSecond() - 1;
        String sig = signer.sign(ID, 7, exp);
        assertThatThrownBy(() -> signer.verify(ID, 7, Long.toString(exp), sig))
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(403);
                            assertThat(e.getMessage()).contains("expired");
                        });
    }

    @Test
    void noSignatureAtAllIsUnauthenticated() {
        assertThatThrownBy(() -> signer.verify(ID, 7, null, null))
                .isInstanceOfSatisfying(
                        ApiException.class, e -> assertThat(e.status()).isEqualTo(401));
    }

    private static void assertForbidden(Runnable r) {
        assertThatThrownBy(r::run)
                .isInstanceOfSatisfying(
                        ApiException.class,
                        e -> {
                            assertThat(e.status()).isEqualTo(403);
                            assertThat(e.code()).isEqualTo("forbidden");
                        });
    }

    private static Map<String, String> query(String pathAndQuery) {
        URI uri = URI.create("http://x" + pathAndQuery);
        assertThat(uri.getPath()).matches("/v1/jobs/[0-9a-f-]{36}/frames/\\d+\\.jpg");
        return QueryString.parse(uri.getRawQuery());
    }
}
