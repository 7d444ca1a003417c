package dev.vidprocme.notify;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SignatureException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {
    private static final byte[] SECRET = "whsec-0123456789abcdef".getBytes(UTF_8);
    private static final byte[] BODY = "{\"eventId\":\"j:1\"}".getBytes(UTF_8);
    private static final long T = 1_700_000_000L;
    private static final Clock AT_T = Clock.fixed(Instant.ofEpochSecond(T), ZoneOffset.UTC);
    private final WebhookSigner signer = new WebhookSigner(SECRET);

    @Test
    void headerIsTimestampAndHmacOverTimestampDotBody() throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET, "HmacSHA256"));
        String expected =
                HexFormat.of()
                        .formatHex(
                                mac.doFinal((T + "." + new String(BODY, UTF_8)).getBytes(UTF_8)));

        assertThat(signer.header(T, BODY)).isEqualTo("t=" + T + ",v1=" + expected);
    }

    @Test
    void verifyAcceptsOwnSignaturesAndRotatedSecrets() {
        String header = signer.header(T, BODY);
        assertThatCode(
                        () ->
                                WebhookSigner.verify(
                                        header, BODY, SECRET, Duration.ofMinutes(5), AT_T))
                .doesNotThrowAnyException();
        String rotated =
                "t=" + T + ",v1=" + "0".repeat(64) + "," + header.substring(header.indexOf("v1="));
        assertThatCode(
                        () ->
                                WebhookSigner.verify(
                                        rotated, BODY, SECRET, Duration.ofMinutes(5), AT_T))
                .doesNotThrowAnyException();
    }

    @Test
    void verifyRefusesTamperingOldTimestampsAndWrongSecrets() {
        String header = signer.header(T, BODY);
        assertThatThrownBy(
                        () ->
                                WebhookSigner.verify(
                                        header,
                                        "{}".getBytes(UTF_8),
                                        SECRET,
                                        Duration.ofMinutes(5),
                                        AT_T))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("no v1 signature matches");
        assertThatThrownBy(
                        () ->
                                WebhookSigner.verify(
                                        header.replace("t=" + T, "t=" + (T + 1)),
                                        BODY,
                                        SECRET,
                                        Duration.ofMinutes(5),
                                        AT_T))
                .isInstanceOf(SignatureException.class);
        Clock later = Clock.offset(AT_T, Duration.ofMinutes(6));
        assertThatThrownBy(
                        () ->
                                WebhookSigner.verify(
                                        header, BODY, SECRET, Duration.ofMinutes(5), later))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("tolerance");
        assertThatThrownBy(
                        () ->
                                WebhookSigner.verify(
                                        header,
                                        BODY,
                                        "another-secret-0123456".getBytes(UTF_8),
                                        Duration.ofMinutes(5),
                                        AT_T))
                .isInstanceOf(SignatureException.class);
        assertThatThrownBy(
                        () -> WebhookSigner.verify(null, BODY, SECRET, Duration.ofMinutes(5), AT_T))
                .hasMessageContaining("no Vidproc-Signature");
        assertThatThrownBy(
                        () ->
                                WebhookSigner.verify(
                                        "v1=abc", BODY, SECRET, Duration.ofMinutes(5), AT_T))
                .hasMessageContaining("t=");
    }

    @Test
    void secretComesFromTheEnvironmentAndMustBeLongEnough() {
        assertThat(
                        WebhookSigner.fromEnv(
                                        Map.of("VIDPROC_WEBHOOK_SECRET", "whsec-0123456789abcdef"))
                                .header(T, BODY))
                .isEqualTo(signer.header(T, BODY));
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WebhookSigner.fromEnv(Map.of()))
                .withMessageContaining("VIDPROC_WEBHOOK_SECRET must be set");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> WebhookSigner.fromEnv(Map.of("VIDPROC_WEBHOOK_SECRET", "short")))
                .withMessageContaining("at least 16");
    }
}
