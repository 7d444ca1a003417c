package dev.vidprocme.notify;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SignatureException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs webhook bodies so receivers can tell our POSTs from forgeries and replays: {@code
 * Vidproc-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, t + "." + body)>}. The timestamp
 * is inside the MAC, so a captured request cannot be replayed later with a fresh time.
 */
public final class WebhookSigner {
    public static final String SIGNATURE_HEADER = "Vidproc-Signature";
    public static final String EVENT_ID_HEADER = "Vidproc-Event-Id";
    public static final String SECRET_ENV = "VIDPROC_WEBHOOK_SECRET";
    public static final int MIN_SECRET_BYTES = 16;

    private final byte[] secret;

    public WebhookSigner(byte[] secret) {
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    "the webhook secret must be at least " + MIN_SECRET_BYTES + " bytes");
        }
        this.secret = secret.clone();
    }

    /**
     * The signer for {@value #SECRET_ENV}.
     *
     * @throws IllegalArgumentException when it is unset or too short
     */
    public static WebhookSigner fromEnv(Map<String, String> env) {
        String value = env.get(SECRET_ENV);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(
                    SECRET_ENV + " must be set to sign webhook deliveries");
        }
        byte[] bytes = value.strip().getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(
                    SECRET_ENV + " must be at least " + MIN_SECRET_BYTES + " bytes long");
        }
        return new WebhookSigner(bytes);
    }

    /** The header value for {@code body} sent at {@code unixSeconds}. */
    public String header(long unixSeconds, byte[] body) {
        return "t="
                + unixSeconds
                + ",v1="
                + HexFormat.of().formatHex(mac(secret, unixSeconds, body));
    }

    /**
     * For receivers: accepts a header whose timestamp is within {@code tolerance} of now and one of
     * whose {@code v1} values is the MAC of this body (several are allowed, for secret rotation).
     *
     * @throws SignatureException saying what is wrong
     */
    public static void verify(
            String header, byte[] body, byte[] secret, Duration tolerance, Clock clock)
            throws SignatureException {
        if (header == null || header.isBlank()) {
            throw new SignatureException("no " + SIGNATURE_HEADER + " header");
        }
        Long t = null;
        java.util.List<String> signatures = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq < 0) {
                throw new SignatureException("malformed " + SIGNATURE_HEADER + " element: " + part);
            }
            String name = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            if (name.equals("t")) {
                try {
                    t = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    throw new SignatureException("the signature timestamp is not a number");
                }
            } else if (name.equals("v1")) {
                signatures.add(value);
            }
        }
        if (t == null || signatures.isEmpty()) {
            throw new SignatureException(SIGNATURE_HEADER + " needs t= and at least one v1=");
        }
        long age = Math.abs(clock.instant().getEpochSecond() - t);
        if (age > tolerance.toSeconds()) {
            throw new SignatureException(
                    "the signature timestamp is " + age + " s away from now, over the tolerance");
        }
        byte[] expected =
                HexFormat.of().formatHex(mac(secret, t, body)).getBytes(StandardCharsets.US_ASCII);
        for (String given : signatures) {
            if (MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.US_ASCII))) {
                return;
            }
        }
        throw new SignatureException("no v1 signature matches the body");
    }

    /** {@link #verify(String, byte[], byte[], Duration, Clock)} against the system clock. */
    public static void verify(String header, byte[] body, byte[] secret, Duration tolerance)
            throws SignatureException {
        verify(header, body, secret, tolerance, Clock.systemUTC());
    }

    private static byte[] mac(byte[] secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.US_ASCII));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable", e);
        }
    }
}
